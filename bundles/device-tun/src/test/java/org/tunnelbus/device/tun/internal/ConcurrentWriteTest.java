package org.tunnelbus.device.tun.internal;

import org.tunnelbus.testsupport.TestPacketPool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketBatch;

/**
 * {@code write} is thread-safe: four threads write batches mixing TCP segment runs (coalesced), UDP and
 * garbage into one offload device with two queues; nothing is thrown, every packet is released exactly once
 * and counted as written or dropped.
 */
class ConcurrentWriteTest extends KernelTestSupport {

    @Test
    void concurrentWritersMixingRunsUdpAndGarbage() throws Exception {
        Netns ns = netns();
        TestPacketPool alloc = TestAllocator.of(2048, 2048);
        Harness h = new Harness(TestAllocator.small(), p -> false, null); // readers keep a spare packet of their own pool
        TunDevice d = device(ns, props("name", "tbcw0", "offload", true, "queues", 2, "addresses", "10.213.0.1/24"), h);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int rounds = 300;
        for (int t = 0; t < 4; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    PacketBatch batch = new PacketBatch(64);
                    for (int r = 0; r < rounds; r++) {
                        int seq = 1000;
                        while (!batch.isFull()) {
                            Packet p = alloc.allocate();
                            if (p == null) {
                                break;
                            }
                            int kind = (batch.size() + r + id) % 7;
                            if (kind < 4) {
                                tcp(p, seq, 1000, 40000 + id);
                                seq += 1000;
                            } else if (kind < 6) {
                                udp(p, 500);
                            } else {
                                p.setLength(3); // garbage
                            }
                            batch.add(p);
                        }
                        d.write(batch);
                        assertEquals(0, batch.size());
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "writer-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(60_000);
        }
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(0, alloc.outstanding(), "every packet released once");
        long written = counter(d, "write.packets");
        long dropped = d.counters().entrySet().stream().filter(e -> e.getKey().startsWith("drop.")).mapToLong(e -> e.getValue()).sum();
        assertEquals(4L * rounds * 64, written + dropped, d.counters().toString());
        assertTrue(counter(d, "write.gso") > 0, d.counters().toString());
    }

    /** IPv4/TCP 10.213.0.9:port -> 10.213.0.1:5 (nobody listens: the kernel answers with resets, fine). */
    static void tcp(Packet p, int seq, int payload, int port) {
        ByteBuffer b = p.buffer();
        int o = p.offset();
        int len = 40 + payload;
        b.put(o, (byte) 0x45).put(o + 1, (byte) 0).putShort(o + 2, (short) len).putShort(o + 4, (short) 0).putShort(o + 6, (short) 0x4000);
        b.put(o + 8, (byte) 64).put(o + 9, (byte) 6).putShort(o + 10, (short) 0);
        b.put(o + 12, (byte) 10).put(o + 13, (byte) 213).put(o + 14, (byte) 0).put(o + 15, (byte) 9);
        b.put(o + 16, (byte) 10).put(o + 17, (byte) 213).put(o + 18, (byte) 0).put(o + 19, (byte) 1);
        b.putShort(o + 10, (short) Responder.checksum(b, o, 20, 0));
        int t = o + 20;
        b.putShort(t, (short) port).putShort(t + 2, (short) 5).putInt(t + 4, seq).putInt(t + 8, 1);
        b.put(t + 12, (byte) 0x50).put(t + 13, (byte) 0x10).putShort(t + 14, (short) 1000).putShort(t + 16, (short) 0).putShort(t + 18, (short) 0);
        p.setLength(len);
    }

    static void udp(Packet p, int payload) {
        ByteBuffer b = p.buffer();
        int o = p.offset();
        int len = 28 + payload;
        b.put(o, (byte) 0x45).put(o + 1, (byte) 0).putShort(o + 2, (short) len).putShort(o + 4, (short) 0).putShort(o + 6, (short) 0);
        b.put(o + 8, (byte) 64).put(o + 9, (byte) 17).putShort(o + 10, (short) 0);
        b.put(o + 12, (byte) 10).put(o + 13, (byte) 213).put(o + 14, (byte) 0).put(o + 15, (byte) 9);
        b.put(o + 16, (byte) 10).put(o + 17, (byte) 213).put(o + 18, (byte) 0).put(o + 19, (byte) 1);
        b.putShort(o + 10, (short) Responder.checksum(b, o, 20, 0));
        b.putShort(o + 20, (short) 7).putShort(o + 22, (short) 9).putShort(o + 24, (short) (8 + payload)).putShort(o + 26, (short) 0);
        p.setLength(len);
    }
}
