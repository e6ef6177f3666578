package org.tunnelbus.openvpn.internal.push;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins the parts of a multi-part PUSH_REPLY (§5.2): parts are collected until one arrives that does not
 * announce more ({@code push-continuation 2}); only then is the configuration complete
 * ({@code PUSH_MSG_CONTINUATION} in {@code push.c}). Not thread-safe.
 */
public final class PushReplyCollector {
    private final List<PushOption> collected = new ArrayList<>();

    /**
     * Adds one part.
     *
     * @return all options once the reply is complete (the collector is then empty again), else null
     */
    public List<PushOption> add(PushReply part) {
        collected.addAll(part.options());
        if (!part.isFinal()) {
            return null;
        }
        List<PushOption> all = List.copyOf(collected);
        collected.clear();
        return all;
    }

    /** Whether parts are waiting for the final one. */
    public boolean isPartial() {
        return !collected.isEmpty();
    }
}
