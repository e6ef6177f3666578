package org.tunnelbus.core.internal.bus;

import java.util.List;

import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.pipeline.StageInfo;

/**
 * The immutable chain of one direction: the snapshot a packet reads once and finishes on.
 *
 * <p>The only mutable field is {@link #pending}: true while holds that this chain resolved still have
 * packets to drain. It is the one volatile test a producer makes at chain entry; it goes false once
 * and stays false.
 */
final class Chain {
    final Direction direction;
    final long version;
    final Slot[] slots;
    final int[] orders;
    final PacketSink defaultSink;
    final SlotCounters sinkCounters;
    /** Counters the chain's slots use (all indices are below it). */
    final int span;
    /** Holds resolved by this chain (or an earlier one) whose packets must pass before new ones. */
    final Hold[] drains;
    final List<StageInfo> infos;
    volatile boolean pending;

    Chain(Direction direction, long version, Slot[] slots, PacketSink defaultSink, SlotCounters sinkCounters, int span,
          Hold[] drains) {
        this.direction = direction;
        this.version = version;
        this.slots = slots;
        this.orders = new int[slots.length];
        StageInfo[] infos = new StageInfo[slots.length];
        for (int i = 0; i < slots.length; i++) {
            orders[i] = slots[i].order;
            infos[i] = slots[i].info();
        }
        this.infos = List.of(infos);
        this.defaultSink = defaultSink;
        this.sinkCounters = sinkCounters;
        this.span = span;
        this.drains = drains;
        this.pending = drains.length > 0;
    }

    /** Index of the first slot with order at least {@code fromOrder} ({@link org.tunnelbus.api.pipeline.PacketBus#inject}). */
    int indexOf(int fromOrder) {
        int[] o = orders;
        for (int i = 0; i < o.length; i++) {
            if (o[i] >= fromOrder) {
                return i;
            }
        }
        return o.length;
    }

    /**
     * Where a packet held at {@code h} continues in this chain: the slot of the same name if there is one,
     * else the first slot that sorts after the hold's position.
     */
    int resume(Hold h) {
        Slot[] s = slots;
        for (int i = 0; i < s.length; i++) {
            if (s[i].name.equals(h.name)) {
                return i;
            }
        }
        for (int i = 0; i < s.length; i++) {
            if (s[i].compareTo(h.order, h.name) > 0) {
                return i;
            }
        }
        return s.length;
    }
}
