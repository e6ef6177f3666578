package org.tunnelbus.openvpn.internal.push;

import java.util.List;
import java.util.Optional;

/**
 * One received PUSH_REPLY message (§5.2): its options in order, without the {@code push-continuation}
 * marker, and that marker's value: 2 means more parts follow; 1 (last part) or 0 (absent) ends the reply.
 */
public record PushReply(List<PushOption> options, int continuation) {
    public static final int NO_CONTINUATION = 0;
    public static final int LAST_PART = 1;
    public static final int MORE_PARTS = 2;

    public PushReply {
        options = List.copyOf(options);
    }

    /** Whether the client may apply the options now (no further part announced). */
    public boolean isFinal() {
        return continuation != MORE_PARTS;
    }

    /** The first option called {@code name}. */
    public Optional<PushOption> find(String name) {
        return options.stream().filter(o -> o.name().equals(name)).findFirst();
    }
}
