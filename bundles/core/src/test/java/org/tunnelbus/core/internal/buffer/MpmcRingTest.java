package org.tunnelbus.core.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class MpmcRingTest {
    @Test
    void fifoFullAndEmpty() {
        MpmcRing<Integer> r = new MpmcRing<>(4);
        for (int i = 0; i < 4; i++) {
            assertTrue(r.offer(i));
        }
        assertFalse(r.offer(9), "really full");
        assertEquals(4, r.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i, r.poll());
        }
        assertNull(r.poll(), "really empty");
    }

    /**
     * A ring exactly as large as its population, every thread taking one element and putting it back: a
     * peer that has claimed a cell but not yet released it must not make an offer fail (the textbook
     * Vyukov ring reports "full" there, and the pool would lose a packet).
     */
    @Test
    void aRingAsLargeAsItsPopulationNeverLosesAnElementUnderContention() throws Exception {
        int n = 64;
        MpmcRing<Integer> r = new MpmcRing<>(n);
        for (int i = 0; i < n; i++) {
            r.offer(i);
        }
        AtomicIntegerArray owned = new AtomicIntegerArray(n);
        AtomicLong twice = new AtomicLong();
        AtomicLong lost = new AtomicLong();
        Thread[] ts = new Thread[3];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = new Thread(() -> {
                for (int k = 0; k < 300_000; k++) {
                    Integer v = r.poll();
                    if (v == null) {
                        continue;
                    }
                    if (!owned.compareAndSet(v, 0, 1)) {
                        twice.incrementAndGet();
                    }
                    owned.set(v, 0);
                    if (!r.offer(v)) {
                        lost.incrementAndGet();
                    }
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(0, twice.get(), "an element handed out twice");
        assertEquals(0, lost.get(), "offers refused although the ring had room");
        assertEquals(n, r.size());
    }
}
