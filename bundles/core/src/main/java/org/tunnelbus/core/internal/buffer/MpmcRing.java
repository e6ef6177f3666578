package org.tunnelbus.core.internal.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded multi-producer multi-consumer ring (Dmitry Vyukov's bounded MPMC queue): each cell carries a
 * sequence number that tells producers and consumers whose turn it is, so {@link #offer} and
 * {@link #poll} cost one CAS each, take no lock and allocate nothing.
 *
 * <p>Unlike the textbook version, a cell still held by a slow peer of the previous lap is waited for (as
 * JCTools' MpmcArrayQueue does) instead of reported as full or empty: the pool's ring holds exactly as many
 * cells as packets, so a spurious "full" would lose a released packet.
 *
 * <p>Used by {@link PacketPool} as its free list. Capacity is rounded up to a power of two.
 *
 * @param <E> element type
 */
final class MpmcRing<E> {
    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle ENQ;
    private static final VarHandle DEQ;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ENQ = l.findVarHandle(MpmcRing.class, "enqueuePos", long.class);
            DEQ = l.findVarHandle(MpmcRing.class, "dequeuePos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] cells;
    private final long[] sequence;
    private final int mask;

    // Producers and consumers hammer different counters: keep them on different cache lines.
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    private volatile long enqueuePos;
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;
    private volatile long dequeuePos;
    @SuppressWarnings("unused")
    private long p21, p22, p23, p24, p25, p26, p27;

    MpmcRing(int capacity) {
        if (capacity < 2 || capacity > 1 << 30) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        int size = Integer.highestOneBit(capacity - 1) << 1;
        cells = new Object[size];
        sequence = new long[size];
        mask = size - 1;
        for (int i = 0; i < size; i++) {
            sequence[i] = i;
        }
    }

    int capacity() {
        return cells.length;
    }

    /** Adds {@code e}; false when the ring is full. */
    boolean offer(E e) {
        long pos = enqueuePos;
        int index;
        for (;;) {
            index = (int) (pos & mask);
            long seq = (long) SEQ.getAcquire(sequence, index);
            long dif = seq - pos;
            if (dif == 0) {
                long witness = (long) ENQ.compareAndExchange(this, pos, pos + 1);
                if (witness == pos) {
                    break;
                }
                pos = witness;
            } else if (dif < 0) {
                // The cell is still in use from the previous lap. Really full, or a consumer that claimed it
                // has not released it yet (Vyukov's ring alone would report "full" then): wait for it.
                if (pos - dequeuePos >= cells.length) {
                    return false;
                }
                Thread.onSpinWait();
                pos = enqueuePos;
            } else {
                pos = enqueuePos;
            }
        }
        cells[index] = e;
        SEQ.setRelease(sequence, index, pos + 1);
        return true;
    }

    /** Takes the oldest element, or null when the ring is empty. */
    @SuppressWarnings("unchecked")
    E poll() {
        long pos = dequeuePos;
        int index;
        for (;;) {
            index = (int) (pos & mask);
            long seq = (long) SEQ.getAcquire(sequence, index);
            long dif = seq - (pos + 1);
            if (dif == 0) {
                long witness = (long) DEQ.compareAndExchange(this, pos, pos + 1);
                if (witness == pos) {
                    break;
                }
                pos = witness;
            } else if (dif < 0) {
                // Not filled yet. Really empty, or a producer that claimed the cell is still writing it.
                if (pos >= enqueuePos) {
                    return null;
                }
                Thread.onSpinWait();
                pos = dequeuePos;
            } else {
                pos = dequeuePos;
            }
        }
        E e = (E) cells[index];
        cells[index] = null;
        SEQ.setRelease(sequence, index, pos + mask + 1);
        return e;
    }

    /** Approximate number of elements (exact when no offer or poll runs). */
    int size() {
        long deq = dequeuePos;
        long enq = enqueuePos;
        long n = enq - deq;
        return n < 0 ? 0 : (int) Math.min(n, cells.length);
    }
}
