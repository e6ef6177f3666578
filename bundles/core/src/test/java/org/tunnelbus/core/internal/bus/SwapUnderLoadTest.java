package org.tunnelbus.core.internal.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tunnelbus.core.internal.bus.Fixtures.props;
import static org.tunnelbus.core.internal.bus.Fixtures.sinkProps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.core.internal.bus.Fixtures.TagStage;

/**
 * Producers stream numbered packets per flow while another thread replaces the CRYPTO stage in a tight
 * loop (remove-then-add through a hold, and add-higher-ranked-then-remove). Every packet must arrive
 * exactly once, in order within its flow.
 */
class SwapUnderLoadTest {
    private static final int PRODUCERS = 3;

    /** Checks per-flow order as packets arrive; releases them. */
    static final class FlowChecker implements PacketSink {
        final int[] next = new int[PRODUCERS];
        final List<String> errors = new ArrayList<>();
        final AtomicLong received = new AtomicLong();

        @Override
        public synchronized void accept(Packet p) {
            int flow = Fixtures.flow(p);
            int seq = Fixtures.seq(p);
            if (seq != next[flow] && errors.size() < 10) {
                errors.add("flow " + flow + ": got " + seq + ", expected " + next[flow]);
            }
            next[flow] = seq + 1;
            if (p.mark() == 0 && errors.size() < 10) {
                errors.add("flow " + flow + " seq " + seq + " skipped the crypto stage");
            }
            received.incrementAndGet();
            p.release();
        }
    }

    @Test
    void noLossDuplicationOrReorderingPerFlowWhileAStageIsSwappedInATightLoop() throws Exception {
        Bus bus = new Bus(Fixtures.small().withHoldGraceMs(10_000));
        FlowChecker sink = new FlowChecker();
        bus.addSink(sink, sinkProps("outgoing"));
        bus.addStage(new TagStage(9), props("mss", "MANGLE"));
        TagStage first = new TagStage(1);
        bus.addStage(first, props("crypto", "CRYPTO", 0, 1_000));

        AtomicBoolean stop = new AtomicBoolean();
        long[] sent = new long[PRODUCERS];
        List<Thread> producers = new ArrayList<>();
        for (int f = 0; f < PRODUCERS; f++) {
            int flow = f;
            Thread t = new Thread(() -> {
                PacketBatch b = new PacketBatch(8);
                int seq = 0;
                while (!stop.get()) {
                    while (!b.isFull()) {
                        Packet p = bus.allocator().allocate();
                        if (p == null) {
                            break; // back-pressure: held packets own the pool for now
                        }
                        p.buffer().putInt(p.offset(), flow).putInt(p.offset() + 4, seq++);
                        p.setLength(8);
                        b.add(p);
                    }
                    if (b.isEmpty()) {
                        Thread.yield();
                        continue;
                    }
                    bus.submit(Direction.OUTGOING, b);
                }
                sent[flow] = seq;
            }, "producer-" + f);
            producers.add(t);
            t.start();
        }

        TagStage current = first;
        long id = 2_000;
        int swaps = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
        while (System.nanoTime() < end) {
            TagStage next = new TagStage(2 + swaps % 5);
            if (swaps % 2 == 0) {
                bus.removeStage(current); // the slot holds ...
                if (swaps % 4 == 0) {
                    Thread.sleep(1); // ... for a while
                }
                bus.addStage(next, props("crypto", "CRYPTO", 0, id++)); // ... and drains into the successor
            } else {
                Map<String, Object> p = props("crypto", "CRYPTO", 0, id++);
                p.put(Constants.SERVICE_RANKING, swaps);
                bus.addStage(next, p); // a higher-ranked substitute takes over without a hold
                bus.removeStage(current);
            }
            current = next;
            swaps++;
        }
        stop.set(true);
        for (Thread t : producers) {
            t.join(10_000);
        }
        long total = 0;
        for (long s : sent) {
            total += s;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sink.received.get() < total && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        synchronized (sink) {
            assertEquals(List.of(), sink.errors);
        }
        assertEquals(total, sink.received.get(), "every packet arrived exactly once (" + swaps + " swaps)");
        assertTrue(swaps > 10, "the swap loop ran: " + swaps);
        assertTrue(total > 1000, "traffic flowed: " + total);
        assertEquals(0, bus.counters().entrySet().stream().filter(e -> e.getKey().contains(".drop.")).count(),
                bus.counters().toString());
        System.out.printf("swap under load: %d swaps, %d packets, %d held%n", swaps, total,
                bus.counter("outgoing.crypto.held"));
        bus.close();
        assertEquals(0, bus.leaks().count(), bus.leaks().describe());
    }
}
