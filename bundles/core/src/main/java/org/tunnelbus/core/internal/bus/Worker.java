package org.tunnelbus.core.internal.bus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import org.tunnelbus.api.pipeline.PacketSink;

/**
 * Per-thread state of the bus: the thread's stripe of the packet/byte counters and the sinks its
 * current batch touched. Only the owner thread writes; {@link StripedCounters} reads the counters of
 * every worker when someone asks for them.
 *
 * <p>The counters are plain longs written with opaque stores (no fence, no CAS): a packet costs two
 * increments of thread-private memory per slot.
 */
final class Worker {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle VALUES;

    static {
        try {
            VALUES = MethodHandles.lookup().findVarHandle(Worker.class, "values", long[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Thread owner;
    /** Read plainly by the owner; published with release, read with acquire by others. */
    long[] values;
    /** Nesting of bus calls on this thread (a stage that injects); sinks are flushed at depth 0. */
    int depth;
    PacketSink[] touched = new PacketSink[8];
    int touchedCount;

    Worker(Thread owner, int span) {
        this.owner = owner;
        this.values = new long[Math.max(16, span)];
    }

    /** The owner's counter array, grown to hold {@code span} counters. */
    long[] counts(int span) {
        long[] v = values;
        if (v.length < span) {
            v = Arrays.copyOf(v, Math.max(span, v.length * 2));
            VALUES.setRelease(this, v);
        }
        return v;
    }

    /** Owner only. */
    static void add(long[] v, int index, long delta) {
        LONGS.setOpaque(v, index, v[index] + delta);
    }

    /** Any thread: a racy but untorn read of one counter. */
    long read(int index) {
        long[] v = (long[]) VALUES.getAcquire(this);
        return index < v.length ? (long) LONGS.getOpaque(v, index) : 0;
    }
}
