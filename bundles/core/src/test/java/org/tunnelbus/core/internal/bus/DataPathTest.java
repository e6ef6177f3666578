package org.tunnelbus.core.internal.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tunnelbus.core.internal.bus.Fixtures.packet;
import static org.tunnelbus.core.internal.bus.Fixtures.props;
import static org.tunnelbus.core.internal.bus.Fixtures.sinkProps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.pipeline.Verdict;
import org.tunnelbus.core.internal.bus.Fixtures.RecordingSink;
import org.tunnelbus.core.internal.bus.Fixtures.TagStage;

/** Verdicts, counters, sinks and errors on the per-packet path. */
class DataPathTest {
    private static final Verdict BAD_TAG = Verdict.drop("bad-tag");
    private final Bus bus = new Bus(Fixtures.small());
    private final RecordingSink sink = new RecordingSink();

    @AfterEach
    void noLeaks() {
        bus.close();
        assertEquals(0, bus.leaks().count(), bus.leaks().describe());
    }

    private PacketBatch batch(int flow, int from, int n) {
        PacketBatch b = new PacketBatch(n);
        for (int i = 0; i < n; i++) {
            b.add(packet(bus, flow, from + i));
        }
        return b;
    }

    @Test
    void passDropAndConsumeAreCountedPerSlot() {
        List<Packet> consumed = new ArrayList<>();
        bus.addStage(Fixtures.stage(p -> Fixtures.seq(p) % 3 == 0 ? BAD_TAG : Verdict.PASS), props("crypto", "CRYPTO"));
        bus.addStage(Fixtures.stage(p -> {
            if (Fixtures.seq(p) % 3 == 1) {
                consumed.add(p);
                return Verdict.CONSUMED;
            }
            return Verdict.PASS;
        }), props("encap", "ENCAP"));
        bus.addSink(sink, sinkProps("outgoing"));

        PacketBatch b = batch(1, 0, 9);
        bus.submit(Direction.OUTGOING, b);

        assertTrue(b.isEmpty(), "the batch is empty on return");
        assertEquals(List.of(2, 5, 8), sink.seqs());
        assertEquals(3, consumed.size());
        consumed.forEach(Packet::release);
        Map<String, Long> c = bus.counters();
        assertEquals(9L, c.get("outgoing.crypto.packets"));
        assertEquals(72L, c.get("outgoing.crypto.bytes"));
        assertEquals(3L, c.get("outgoing.crypto.drop.bad-tag"));
        assertEquals(6L, c.get("outgoing.encap.packets"));
        assertEquals(3L, c.get("outgoing.sink.packets"));
        assertEquals(1, sink.flushes.get(), "one flush per batch");
    }

    @Test
    void aThrowingStageDropsThePacketCountsItAndTheThreadGoesOn() {
        bus.addStage(Fixtures.stage(p -> {
            if (Fixtures.seq(p) == 1) {
                throw new IllegalArgumentException("garbage at offset 3");
            }
            if (Fixtures.seq(p) == 2) {
                return null;
            }
            return Verdict.PASS;
        }), props("decompress", "COMPRESS"));
        bus.addSink(sink, sinkProps("incoming"));
        bus.submit(Direction.INCOMING, batch(1, 0, 4));
        assertEquals(List.of(0, 3), sink.seqs());
        assertEquals(2, bus.counter("incoming.decompress.drop.stage-error"));
    }

    @Test
    void withoutASinkPacketsAreDroppedAsNoSink() {
        bus.addStage(new TagStage(1), props("route", "ROUTE"));
        bus.submit(Direction.INCOMING, batch(1, 0, 3));
        assertEquals(3, bus.counter("incoming.sink.drop.no-sink"));
        assertEquals(3, bus.counter("incoming.route.packets"));
    }

    @Test
    void packetSinkOverridesTheDefaultAndEachTouchedSinkIsFlushedOnce() {
        RecordingSink other = new RecordingSink();
        bus.addSink(sink, sinkProps("incoming"));
        bus.addStage(Fixtures.stage(p -> {
            if (Fixtures.seq(p) % 2 == 0) {
                p.sink(other);
            }
            return Verdict.PASS;
        }), props("route", "ROUTE"));
        bus.submit(Direction.INCOMING, batch(1, 0, 10));
        assertEquals(List.of(1, 3, 5, 7, 9), sink.seqs());
        assertEquals(List.of(0, 2, 4, 6, 8), other.seqs());
        assertEquals(1, sink.flushes.get());
        assertEquals(1, other.flushes.get());
    }

    @Test
    void countersSurviveAStageSwap() {
        bus.configure(bus.settings().withHoldGraceMs(0));
        TagStage a = new TagStage(1);
        bus.addStage(a, props("mss", "MANGLE"));
        bus.addSink(sink, sinkProps("outgoing"));
        bus.submit(Direction.OUTGOING, batch(1, 0, 5));
        bus.removeStage(a);
        bus.addStage(new TagStage(2), props("mss", "MANGLE"));
        bus.submit(Direction.OUTGOING, batch(1, 5, 5));
        assertEquals(10, bus.counter("outgoing.mss.packets"));
    }

    @Test
    void aThrowingSinkIsCountedAndItsPacketReleased() {
        bus.addSink(new PacketSink() {
            @Override
            public void accept(Packet packet) {
                throw new IllegalStateException("device gone");
            }
        }, sinkProps("incoming"));
        bus.submit(Direction.INCOMING, batch(1, 0, 2));
        assertEquals(2, bus.counter("incoming.sink.drop.sink-error"));
    }

    @Test
    void aStageMayInjectIntoTheOtherChainAndFlushesHappenOnceAtTheEnd() {
        RecordingSink out = new RecordingSink();
        bus.addSink(out, sinkProps("outgoing"));
        bus.addSink(sink, sinkProps("incoming"));
        // INCOMING route: odd packets go to another remote (mesh), re-injected after OUTGOING routing
        bus.addStage(Fixtures.stage(p -> {
            if (Fixtures.seq(p) % 2 == 1) {
                bus.inject(Direction.OUTGOING, p, 201);
                return Verdict.CONSUMED;
            }
            return Verdict.PASS;
        }), props("route", "ROUTE", "incoming"));
        TagStage crypto = new TagStage(4);
        bus.addStage(crypto, props("crypto", "CRYPTO", "outgoing"));
        bus.submit(Direction.INCOMING, batch(1, 0, 6));
        assertEquals(List.of(0, 2, 4), sink.seqs());
        assertEquals(List.of(1, 3, 5), out.seqs());
        assertEquals(3, crypto.calls.get());
        assertEquals(1, out.flushes.get());
        assertEquals(1, sink.flushes.get());
    }

    @Test
    void countersUseTheApiNames() {
        bus.addStage(new TagStage(1), props("mss", "MANGLE", "outgoing"));
        bus.addSink(sink, sinkProps("outgoing"));
        bus.submit(Direction.OUTGOING, packet(bus, 1, 1));
        Map<String, Long> c = bus.counters();
        assertTrue(c.containsKey("outgoing.mss.packets"), c.toString());
        assertTrue(c.containsKey("outgoing.mss.bytes"));
        assertTrue(c.containsKey("outgoing.sink.packets"));
        assertFalse(c.containsKey("incoming.mss.packets"));
    }

    @Test
    void countsFromThreadsThatEndedAreKept() throws Exception {
        bus.addSink(sink, sinkProps("outgoing"));
        bus.addStage(new TagStage(1), props("mss", "MANGLE"));
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int flow = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    bus.submit(Direction.OUTGOING, packet(bus, flow, i));
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(400, bus.counter("outgoing.mss.packets"));
        assertEquals(400, bus.counter("outgoing.mss.packets"), "folding dead threads twice must not double count");
    }
}
