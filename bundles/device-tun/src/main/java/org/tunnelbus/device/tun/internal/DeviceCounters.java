package org.tunnelbus.device.tun.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one device: packets and bytes read and written, drops by reason, lifecycle events.
 * {@link LongAdder}s: several reader and writer threads add without contention and without allocating
 * once warm; {@link #snapshot()} is for management (it allocates).
 *
 * <p>Names, as {@code Transport#counters()} names its own (the core prefixes them, e.g. with
 * {@code device.<name>.}): {@code read.packets}, {@code read.bytes}, {@code read.batches}, {@code read.gso},
 * {@code write.packets},
 * {@code .write.bytes}, {@code .write.gso} (coalesced super-packets written), {@code .drop.<reason>}, {@code .lost}, {@code .recovered}, {@code .pool.empty}.
 */
final class DeviceCounters {

    /** Why a packet was dropped by the device; each reason is one counter. */
    enum Drop {
        /** A read did not fit the pooled buffer (the buffer is smaller than the packet). */
        TRUNCATED,
        /** A read shorter than the virtio-net header, or with a header no kernel writes. */
        MALFORMED,
        /** A write to an interface that is administratively down ({@code EIO}). */
        LINK_DOWN,
        /** The kernel had no room for a write ({@code EAGAIN}, {@code ENOBUFS}, {@code ENOMEM}). */
        NO_BUFFER,
        /** The kernel refused a written packet as invalid ({@code EINVAL}, {@code EFAULT}, {@code EMSGSIZE}). */
        INVALID,
        /** No headroom in front of a packet for the virtio-net header, or no header where TAP needs one. */
        NO_HEADROOM,
        /** A write while the device is not open (closed, lost, being reopened). */
        NOT_OPEN,
        /** Any other write error. */
        WRITE_ERROR;

        final String counter = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    final LongAdder readPackets = new LongAdder();
    final LongAdder readBytes = new LongAdder();
    final LongAdder readBatches = new LongAdder();
    final LongAdder readGso = new LongAdder();
    final LongAdder writePackets = new LongAdder();
    final LongAdder writeBytes = new LongAdder();
    final LongAdder writeGso = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder recovered = new LongAdder();
    final LongAdder poolEmpty = new LongAdder();
    final LongAdder listenerErrors = new LongAdder();
    private final LongAdder[] drops = new LongAdder[Drop.values().length];

    DeviceCounters() {
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new LongAdder();
        }
    }

    void drop(Drop reason) {
        drops[reason.ordinal()].increment();
    }

    long drops(Drop reason) {
        return drops[reason.ordinal()].sum();
    }

    /** Every counter by name, each name after {@code prefix} (empty: no prefix). */
    Map<String, Long> snapshot(String prefix) {
        String p = prefix;
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(p + "read.packets", readPackets.sum());
        m.put(p + "read.bytes", readBytes.sum());
        m.put(p + "read.batches", readBatches.sum());
        m.put(p + "read.gso", readGso.sum());
        m.put(p + "write.packets", writePackets.sum());
        m.put(p + "write.bytes", writeBytes.sum());
        m.put(p + "write.gso", writeGso.sum());
        for (Drop d : Drop.values()) {
            m.put(p + "drop." + d.counter, drops[d.ordinal()].sum());
        }
        m.put(p + "lost", lost.sum());
        m.put(p + "recovered", recovered.sum());
        m.put(p + "pool.empty", poolEmpty.sum());
        m.put(p + "listener.errors", listenerErrors.sum());
        return m;
    }
}
