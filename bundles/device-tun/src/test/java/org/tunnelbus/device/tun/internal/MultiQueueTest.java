package org.tunnelbus.device.tun.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** IFF_MULTI_QUEUE: several flows into the device are read by more than one queue's reader. */
class MultiQueueTest extends KernelTestSupport {

    @Test
    void flowsSpreadOverQueues() throws Exception {
        Netns ns = netns();
        Map<String, AtomicLong> udpByQueue = new ConcurrentHashMap<>();
        Harness h = new Harness(TestAllocator.small(), p -> Responder.answerIp(p, 0), p -> {
            ByteBuffer b = p.buffer();
            if (p.length() >= 28 && (b.get(p.offset()) & 0xf0) == 0x40 && b.get(p.offset() + 9) == 17) {
                udpByQueue.computeIfAbsent(Thread.currentThread().getName(), k -> new AtomicLong()).incrementAndGet();
            }
        });
        TunDevice d = device(ns, props("name", "tbmq0", "queues", 2, "addresses", "10.202.0.1/24"), h);
        assertEquals(2, d.info().queues());
        assertTrue(ns.ip("-d", "link", "show", "dev", "tbmq0").output().contains("multi_queue"), "IFF_MULTI_QUEUE set");

        // 32 UDP flows (distinct source and destination ports) from sockets that live in the namespace
        List<DatagramChannel> flows = ns.call(() -> {
            List<DatagramChannel> l = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                DatagramChannel c = DatagramChannel.open();
                c.bind(new InetSocketAddress("10.202.0.1", 0));
                l.add(c);
            }
            return l;
        });
        try {
            ByteBuffer payload = ByteBuffer.allocate(200);
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < flows.size(); i++) {
                    payload.clear();
                    flows.get(i).send(payload, new InetSocketAddress("10.202.0.2", 20000 + i));
                }
            }
        } finally {
            for (DatagramChannel c : flows) {
                c.close();
            }
        }
        long until = System.nanoTime() + 5_000_000_000L;
        while (udpByQueue.values().stream().mapToLong(AtomicLong::get).sum() < 128 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(128, udpByQueue.values().stream().mapToLong(AtomicLong::get).sum(), "every datagram read: " + udpByQueue);
        assertTrue(udpByQueue.values().stream().filter(a -> a.get() > 0).count() >= 2, "UDP flows read on more than one queue: " + udpByQueue);
        assertTrue(h.readsByThread.keySet().stream().allMatch(t -> t.matches("tunnelbus-tbmq0-q[01]")), h.readsByThread.toString());

        ping(ns, "10.202.0.2"); // and the device still answers through both queues
    }

    @Test
    void answeredFlowsAreReadOnTheQueueTheirRepliesWereWrittenOn() throws Exception {
        Netns ns = netns();
        List<String> misplaced = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<Integer, AtomicLong> laterRequestsByQueue = new ConcurrentHashMap<>();
        Harness h = new Harness(TestAllocator.small(), p -> Responder.answerIp(p, 0), p -> {
            ByteBuffer b = p.buffer();
            int o = p.offset();
            if (p.length() >= 28 && b.get(o) == 0x45 && b.get(o + 9) == 1 && b.get(o + 20) == 8) {
                int seq = b.getShort(o + 26) & 0xffff;
                String thread = Thread.currentThread().getName();
                int queue = thread.charAt(thread.length() - 1) - '0';
                if (seq >= 2) { // after our first reply the kernel steers the flow to the queue we wrote it on
                    laterRequestsByQueue.computeIfAbsent(queue, k -> new AtomicLong()).incrementAndGet();
                    int expected = FlowHash.queue(b, o, p.length(), false, false, 2);
                    if (expected != queue) {
                        misplaced.add("to ." + (b.get(o + 19) & 0xff) + " seq " + seq + " read on q" + queue + ", replies written on q" + expected);
                    }
                }
            }
        });
        device(ns, props("name", "tbmq1", "queues", 2, "addresses", "10.212.0.1/24"), h);

        List<Process> pings = new ArrayList<>();
        for (int i = 2; i < 18; i++) {
            pings.add(ns.start("ping", "-c", "4", "-i", "0.2", "-W", "2", "10.212.0." + i));
        }
        for (Process p : pings) {
            assertTrue(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "ping ended");
            assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        }
        assertTrue(misplaced.isEmpty(), misplaced.toString());
        assertEquals(2, laterRequestsByQueue.size(), "flows spread over both queues: " + laterRequestsByQueue);
    }
}
