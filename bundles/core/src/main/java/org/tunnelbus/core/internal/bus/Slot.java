package org.tunnelbus.core.internal.bus;

import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.StageInfo;

/**
 * One position of a {@link Chain}: a stage that runs, a hold that queues, or a required slot without
 * provider that drops. Immutable.
 */
final class Slot {
    final String name;
    final Box box;
    final int order;
    /** The stage to run, or null for a hold or a missing slot. */
    final Stage stage;
    /** Non-null while the slot waits for a substitute provider. */
    final Hold hold;
    /** Who fills the slot; null for a missing slot, the departed provider for a hold. */
    final StageProvider provider;
    final SlotCounters counters;

    private Slot(String name, Box box, int order, Stage stage, Hold hold, StageProvider provider, SlotCounters counters) {
        this.name = name;
        this.box = box;
        this.order = order;
        this.stage = stage;
        this.hold = hold;
        this.provider = provider;
        this.counters = counters;
    }

    static Slot stage(String name, int order, StageProvider p, SlotCounters c) {
        return new Slot(name, p.box, order, p.stage, null, p, c);
    }

    static Slot hold(String name, Box box, int order, Hold h, StageProvider departed, SlotCounters c) {
        return new Slot(name, box, order, null, h, departed, c);
    }

    static Slot missing(String name, Box box, int order, SlotCounters c) {
        return new Slot(name, box, order, null, null, null, c);
    }

    String state() {
        return stage != null ? "ACTIVE" : hold != null ? "HOLD" : "MISSING";
    }

    StageInfo info() {
        return stage != null ? new StageInfo(name, box, order, provider.serviceId, provider.bundle)
                : new StageInfo(name, box, order, -1, "");
    }

    /** Sort key: order, then name. */
    int compareTo(int otherOrder, String otherName) {
        return order != otherOrder ? Integer.compare(order, otherOrder) : name.compareTo(otherName);
    }
}
