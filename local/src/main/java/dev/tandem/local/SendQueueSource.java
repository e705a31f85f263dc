package dev.tandem.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tandem.app.Dispatch;
import dev.tandem.sender.SenderHandler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

/**
 * What Lambda's SQS event source does for SendQueue, on the emulator (which runs no event sources): up to
 * {@code senders} pollers each receive a batch of up to ten jobs, run SenderFunction's handler on it, and delete what
 * it took. Its {@code batchItemFailures} come back after the visibility timeout in AWS; here, once the queue is
 * drained, so that the next drain (a later tick of a simulated clock) takes them again.
 */
public final class SendQueueSource {
    static final String QUEUE = "SendQueue";

    private final LocalFunctions functions;
    private final SnsSqsPath path;

    SendQueueSource(LocalFunctions functions) {
        this.functions = functions;
        this.path = new SnsSqsPath(functions.template());
    }

    /** Runs senders until the queue has nothing visible; the result of every batch. */
    public List<Dispatch.Result> drain(int senders) {
        return drain(senders, UnaryOperator.identity());
    }

    /**
     * The same, with each received batch passed through {@code deliveries} first: what a test uses to deliver a batch
     * twice, or to a sender that stops before it answers.
     */
    public List<Dispatch.Result> drain(int senders, UnaryOperator<SQSEvent> deliveries) {
        List<Dispatch.Result> results = Collections.synchronizedList(new ArrayList<>());
        List<SQSEvent> failed = Collections.synchronizedList(new ArrayList<>());
        SenderHandler handler = (SenderHandler) functions.handler("SenderFunction");
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<?>> pollers = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                pollers.add(pool.submit(() -> {
                    while (true) {
                        SQSEvent batch = path.poll(QUEUE);
                        if (batch.getRecords().isEmpty()) {
                            return null;
                        }
                        SQSEvent delivered = deliveries.apply(batch);
                        SenderHandler.Outcome o = handler.process(delivered, functions.context("SenderFunction", true));
                        results.add(o.result());
                        path.acknowledge(QUEUE, batch, o.response());
                        if (!o.response().getBatchItemFailures().isEmpty()) {
                            failed.add(batch);
                        }
                    }
                }));
            }
            for (Future<?> f : pollers) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        // What was deleted is gone; the failures alone become visible again.
        failed.forEach(b -> path.makeVisible(QUEUE, b));
        return List.copyOf(results);
    }

    public int visible() {
        return path.visible(QUEUE);
    }

    public void purge() {
        path.purge(QUEUE);
    }
}
