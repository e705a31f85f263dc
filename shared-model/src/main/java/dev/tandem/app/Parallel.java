package dev.tandem.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The sweep's and the senders' work run side by side on a pool. */
final class Parallel {
    private Parallel() {
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Runs tasks on a pool and waits for every one of them, so that none runs on after the caller returns; then throws
     * the first failure (an Error as it is), or answers the tasks' results in order. One task runs on the caller's
     * thread.
     */
    static <T> List<T> all(ExecutorService pool, List<Callable<T>> tasks) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        if (tasks.size() == 1) {
            try {
                return java.util.Collections.singletonList(tasks.get(0).call());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> t : tasks) {
            futures.add(pool.submit(t));
        }
        List<T> out = new ArrayList<>();
        Throwable failure = null;
        for (Future<T> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for work", e);
            }
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
        }
        return out;
    }
}
