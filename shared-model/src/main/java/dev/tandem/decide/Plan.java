package dev.tandem.decide;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The decider's answer for a run: the decisions (a skipped step may hand over to the next, so there can be
 * two) and what becomes of the run.
 */
public record Plan(List<Decision> decisions, Next next) {

    public Plan {
        decisions = List.copyOf(decisions);
        Objects.requireNonNull(next, "next");
    }

    /** The same plan with every decision marked as made for an experiment's group; as it is without one. */
    public Plan withVariant(String group) {
        return group == null ? this : new Plan(decisions.stream().map(d -> d.withVariant(group)).toList(), next);
    }

    /** The decision that sends, if one does. */
    public Decision send() {
        return decisions.stream().filter(d -> d.action() == Decision.Action.SENT).findFirst().orElse(null);
    }

    /** What happens to the run after the decisions. */
    public sealed interface Next permits Continue, Wait, Finish, Drop {
    }

    /** After a send: the next step, due then, with what it needs to know of this one. */
    public record Continue(String step, Instant dueAt, Map<String, String> data) implements Next {
    }

    /** Not now: due again at {@code dueAt}, armed when a trigger's own timing set it. */
    public record Wait(Instant dueAt, boolean armed) implements Next {
    }

    /** The run is over: {@code done} when its last step is decided, {@code exited} on an exitOn event. */
    public record Finish(String status) implements Next {
    }

    /** Work with nothing to decide (a trigger the campaign does not have, a second click on one email). */
    public record Drop(String why) implements Next {
    }
}
