package org.tunnelbus.api.pipeline;

import java.util.Objects;

/**
 * What a stage did with a packet. Verdicts are constants: a stage creates its drop verdicts once (as
 * static or instance fields) and returns them, so deciding costs no allocation.
 *
 * <ul>
 *   <li>{@link #PASS}: the packet goes on to the next stage; the bus still owns it.</li>
 *   <li>{@link #CONSUMED}: the stage took ownership (queued it, handed it to the control channel,
 *       injected it into the other chain); the bus forgets it.</li>
 *   <li>a drop verdict ({@link #drop(String)}): the bus counts the reason against the stage and releases
 *       the packet.</li>
 * </ul>
 */
public final class Verdict {
    /** Continue with the next stage. */
    public static final Verdict PASS = new Verdict(Kind.PASS, null);
    /** The stage now owns the packet. */
    public static final Verdict CONSUMED = new Verdict(Kind.CONSUMED, null);

    /** The three outcomes. */
    public enum Kind {
        PASS, CONSUMED, DROP
    }

    private final Kind kind;
    private final String reason;

    private Verdict(Kind kind, String reason) {
        this.kind = kind;
        this.reason = reason;
    }

    /**
     * A drop verdict with a short, stable, kebab-case reason ({@code bad-tag}, {@code replay},
     * {@code no-route}) that names a counter. Create it once and reuse it.
     */
    public static Verdict drop(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("empty drop reason");
        }
        return new Verdict(Kind.DROP, reason);
    }

    public Kind kind() {
        return kind;
    }

    /** The drop reason, or null for PASS and CONSUMED. */
    public String reason() {
        return reason;
    }

    public boolean isDrop() {
        return kind == Kind.DROP;
    }

    @Override
    public String toString() {
        return kind == Kind.DROP ? "DROP(" + reason + ")" : kind.name();
    }
}
