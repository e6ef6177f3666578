package org.tunnelbus.openvpn.internal.datapath;

import org.tunnelbus.api.pipeline.Verdict;
import org.tunnelbus.openvpn.internal.wire.DropReason;

/** One constant drop verdict per {@link DropReason}, named by its counter name; built once. */
final class DropVerdicts {
    private static final Verdict[] BY_REASON = new Verdict[DropReason.values().length];

    static {
        for (DropReason r : DropReason.values()) {
            BY_REASON[r.ordinal()] = Verdict.drop(r.counterName());
        }
    }

    private DropVerdicts() {
    }

    static Verdict of(DropReason reason) {
        return BY_REASON[reason.ordinal()];
    }
}
