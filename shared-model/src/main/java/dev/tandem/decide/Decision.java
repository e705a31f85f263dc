package dev.tandem.decide;

import dev.tandem.contact.Channel;
import dev.tandem.render.Renderer;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the decider makes of one step of a run at one moment: send (channel, template, rendered content),
 * defer (until when, why) or skip (why). Every decision keeps its reasons; a best-channel choice names
 * the rule that chose ({@code consent}, {@code urgent}, {@code habits}, {@code cost}).
 */
public record Decision(
        Action action,
        String step,
        Channel channel,
        String template,
        Renderer.Rendered content,
        Instant until,
        Reason reason,
        List<Reason> reasons,
        String rule,
        String variant) {

    public enum Action {
        SENT("sent"), DEFERRED("deferred"), SKIPPED("skipped");

        private final String wire;

        Action(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public Decision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(step, "step");
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    public static Decision send(String step, Channel channel, String template, Renderer.Rendered content, String rule) {
        return new Decision(Action.SENT, step, channel, template, content, null, null, List.of(), rule, null);
    }

    public static Decision defer(String step, Channel channel, Instant until, Reason reason, List<Reason> reasons, String rule) {
        return new Decision(Action.DEFERRED, step, channel, null, null, until, reason, reasons, rule, null);
    }

    public static Decision skip(String step, Channel channel, Reason reason, String rule) {
        return new Decision(Action.SKIPPED, step, channel, null, null, null, reason, List.of(reason), rule, null);
    }

    /** The same decision, made for a contact of an experiment's group ({@code holdout} or a variant's id). */
    public Decision withVariant(String group) {
        return new Decision(action, step, channel, template, content, until, reason, reasons, rule, group);
    }
}
