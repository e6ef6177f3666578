package org.tunnelbus.core.internal.bus;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one slot ({@code direction + name}), kept by the bus across chain rebuilds so a stage
 * swap does not reset them. Packets and bytes are striped per thread ({@link Worker}, index
 * {@link #index} and {@code index + 1}); drops, which are rarer, are {@link LongAdder}s by reason.
 *
 * <p>Also the rate limit of the slot's error log: one line per ~10 s, with how many were suppressed.
 */
final class SlotCounters {
    private static final long LOG_INTERVAL = TimeUnit.SECONDS.toNanos(10);

    /** {@code <direction>.<name>}, the prefix of every counter name of the slot. */
    final String prefix;
    /** Striped counter index of packets; bytes is {@code index + 1}. */
    final int index;
    final LongAdder held = new LongAdder();
    private final Map<String, LongAdder> drops = new ConcurrentHashMap<>();
    private final AtomicLong nextLog = new AtomicLong(System.nanoTime());
    private final LongAdder suppressed = new LongAdder();

    SlotCounters(String prefix, int index) {
        this.prefix = prefix;
        this.index = index;
    }

    /** Counts one drop; allocation-free once the reason was seen. */
    void drop(String reason) {
        LongAdder a = drops.get(reason);
        if (a == null) {
            a = drops.computeIfAbsent(reason, r -> new LongAdder());
        }
        a.increment();
    }

    long drops(String reason) {
        LongAdder a = drops.get(reason);
        return a == null ? 0 : a.sum();
    }

    Map<String, LongAdder> drops() {
        return drops;
    }

    /**
     * Whether the caller may log an error line now. Returns -1 when not (the event is counted as
     * suppressed), else the number of events suppressed since the last line.
     */
    long mayLog() {
        long now = System.nanoTime();
        long next = nextLog.get();
        if (now - next >= 0 && nextLog.compareAndSet(next, now + LOG_INTERVAL)) {
            return suppressed.sumThenReset();
        }
        suppressed.increment();
        return -1;
    }
}
