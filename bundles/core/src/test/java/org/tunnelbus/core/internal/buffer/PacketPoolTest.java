package org.tunnelbus.core.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketBatch;

class PacketPoolTest {

    @Test
    void anEmptyPoolIsBackPressureNotAnError() {
        PacketPool pool = new PacketPool(32, 512, 64, 16, false);
        List<Packet> taken = new ArrayList<>();
        Packet p;
        while ((p = pool.allocate()) != null) {
            taken.add(p);
        }
        assertEquals(32, taken.size());
        assertEquals(32, pool.outstanding());
        assertNull(pool.allocate());
        taken.remove(0).release();
        assertNotNull(pool.allocate(), "a released packet is available again");
        taken.forEach(Packet::release);
    }

    @Test
    void packetsHaveHeadroomCapacityAndDistinctDirectMemory() {
        PacketPool pool = new PacketPool(100, 1500, 128, 32, false);
        assertEquals(128, pool.headroom());
        assertEquals(1532, pool.capacity());
        List<Packet> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Packet p = pool.allocate();
            assertTrue(p.buffer().isDirect());
            assertEquals(128, p.offset());
            assertEquals(0, p.length());
            assertEquals(1532, p.tailroom());
            p.buffer().putInt(p.offset(), i);
            all.add(p);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(i, all.get(i).buffer().getInt(128), "packets do not overlap");
        }
        all.forEach(Packet::release);
        assertEquals(0, pool.outstanding());
    }

    @Test
    void aReusedPacketIsClean() {
        PacketPool pool = new PacketPool(16, 256, 32, 0, false);
        Packet p = pool.allocate();
        p.prepend(10);
        p.mark(5);
        p.flow(9);
        p.release();
        for (int i = 0; i < 16; i++) {
            Packet q = pool.allocate();
            assertEquals(32, q.offset());
            assertEquals(0, q.mark());
            assertEquals(0, q.flow());
            assertNull(q.session());
            assertFalse(q.isFree());
        }
    }

    @Test
    void batchAllocationStopsWhenThePoolRunsShort() {
        PacketPool pool = new PacketPool(20, 256, 0, 0, false);
        PacketBatch a = new PacketBatch(16);
        PacketBatch b = new PacketBatch(16);
        assertEquals(16, pool.allocate(a));
        assertEquals(4, pool.allocate(b));
        a.releaseAll();
        b.releaseAll();
        assertEquals(0, pool.outstanding());
    }

    @Test
    void doubleReleaseIsCaught() {
        PacketPool pool = new PacketPool(16, 256, 0, 0, false);
        Packet p = pool.allocate();
        p.release();
        assertThrows(IllegalStateException.class, p::release);
        assertEquals(0, pool.outstanding());
    }

    @Test
    void leakCheckNamesTheFirstAllocationSite() {
        PacketPool pool = new PacketPool(16, 256, 0, 0, true);
        Packet kept = leakOne(pool);
        Packet other = pool.allocate();
        other.release();
        LeakReport r = pool.leaks();
        assertEquals(1, r.count());
        assertNotNull(r.firstSite());
        assertTrue(r.describe().contains("leakOne"), r.describe());
        assertTrue(r.describe().contains(Thread.currentThread().getName()));
        kept.release();
        assertEquals(LeakReport.NONE, pool.leaks());
    }

    private static Packet leakOne(PacketPool pool) {
        return pool.allocate();
    }

    @Test
    void leakCountWithoutTheCheckSaysHowToSwitchItOn() {
        PacketPool pool = new PacketPool(16, 256, 0, 0, false);
        if (pool.leakCheck()) {
            return; // -Dtunnelbus.leakcheck=true is on for this run
        }
        Packet p = pool.allocate();
        assertTrue(pool.leaks().describe().contains("leak.check"));
        p.release();
    }

    @Test
    void concurrentAllocateAndReleaseNeverHandsOutAPacketTwice() throws Exception {
        PacketPool pool = new PacketPool(64, 64, 0, 0, false);
        Set<Packet> out = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        AtomicReference<String> error = new AtomicReference<>();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                List<Packet> mine = new ArrayList<>();
                for (int i = 0; i < 100_000; i++) {
                    Packet p = pool.allocate();
                    if (p != null) {
                        if (!out.add(p)) {
                            error.set("packet handed out twice");
                        }
                        mine.add(p);
                    }
                    if (mine.size() > 8 || (p == null && !mine.isEmpty())) {
                        Packet r = mine.remove(0);
                        out.remove(r);
                        r.release();
                    }
                }
                mine.forEach(r -> {
                    out.remove(r);
                    r.release();
                });
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(error.get());
        assertEquals(0, pool.outstanding());
    }

    @Test
    void aReplacedPoolStillTakesItsPacketsBack() {
        BusAllocator a = new BusAllocator(new PacketPool(16, 256, 0, 0, false));
        Packet old = a.allocate();
        a.replace(new PacketPool(32, 512, 64, 0, false));
        assertEquals(64, a.headroom());
        Packet fresh = a.allocate();
        assertEquals(2, a.outstanding());
        old.release();
        fresh.release();
        assertEquals(0, a.outstanding());
    }
}
