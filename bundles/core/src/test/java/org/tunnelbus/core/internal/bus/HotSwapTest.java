package org.tunnelbus.core.internal.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tunnelbus.core.internal.bus.Fixtures.packet;
import static org.tunnelbus.core.internal.bus.Fixtures.props;
import static org.tunnelbus.core.internal.bus.Fixtures.sinkProps;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.StageInfo;
import org.tunnelbus.core.internal.bus.Fixtures.GateStage;
import org.tunnelbus.core.internal.bus.Fixtures.RecordingSink;
import org.tunnelbus.core.internal.bus.Fixtures.TagStage;

/** DESIGN invariant 5: holds, drains and grace expiry when a slot loses its provider. */
class HotSwapTest {
    private Bus bus;
    private final RecordingSink sink = new RecordingSink();

    private void start(BusSettings s) {
        bus = new Bus(s);
        bus.addSink(sink, sinkProps("outgoing"));
    }

    @AfterEach
    void noLeaks() {
        bus.close();
        assertEquals(0, bus.leaks().count(), bus.leaks().describe());
    }

    private void submit(int flow, int from, int n) {
        PacketBatch b = new PacketBatch(n);
        for (int i = 0; i < n; i++) {
            b.add(packet(bus, flow, from + i));
        }
        bus.submit(Direction.OUTGOING, b);
    }

    private static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    private String state(String slot) {
        return bus.describe(Direction.OUTGOING).stream().filter(s -> s.name().equals(slot)).map(Bus.SlotView::state)
                .findFirst().orElse("ABSENT");
    }

    @Test
    void packetsAreHeldWhileTheProviderIsGoneAndDrainInOrderThroughItsSuccessor() throws Exception {
        start(Fixtures.small().withHoldGraceMs(10_000));
        TagStage a = new TagStage(1);
        bus.addStage(a, props("crypto", "CRYPTO"));
        submit(1, 0, 3);
        bus.removeStage(a); // bundle update: the old provider goes ...
        submit(1, 3, 5);
        assertEquals(3, sink.got().size(), "held, not passed and not dropped");
        assertEquals("HOLD", state("crypto"));
        assertEquals(5, bus.describe(Direction.OUTGOING).get(0).held());
        assertTrue(bus.chain(Direction.OUTGOING).get(0).isMissing());

        TagStage b = new TagStage(2);
        bus.addStage(b, props("crypto", "CRYPTO")); // ... and the new one arrives
        submit(1, 8, 2);
        sink.awaitCount(10);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), sink.seqs());
        assertEquals(List.of(1, 1, 1, 2, 2, 2, 2, 2, 2, 2), sink.got().stream().map(RecordingSink.Got::mark).toList(),
                "held packets ran through the successor");
        assertEquals(5, bus.counter("outgoing.crypto.held"));
        assertEquals(0, bus.counters().entrySet().stream().filter(e -> e.getKey().contains(".drop.")).count());
    }

    @Test
    void heldPacketsDrainWithoutNewTraffic() throws Exception {
        start(Fixtures.small().withHoldGraceMs(10_000));
        TagStage a = new TagStage(1);
        bus.addStage(a, props("crypto", "CRYPTO"));
        bus.removeStage(a);
        submit(1, 0, 4);
        bus.addStage(a, props("crypto", "CRYPTO")); // the same bundle restarted
        sink.awaitCount(4); // the bus's scheduler drained them
        assertEquals(List.of(0, 1, 2, 3), sink.seqs());
    }

    @Test
    void requiredSlotDropsAsNoProviderAfterTheGraceAndHealsWhenAProviderReturns() throws Exception {
        start(Fixtures.small().withHoldGraceMs(1000).withRequired(Set.of("crypto"), Set.of()));
        bus.addStage(new TagStage(3), props("mss", "MANGLE"));
        TagStage a = new TagStage(1);
        bus.addStage(a, props("crypto", "CRYPTO"));
        try (LogCapture log = new LogCapture()) {
            bus.removeStage(a);
            submit(1, 0, 3);
            await("grace expiry", () -> state("crypto").equals("MISSING"));
            await("held packets dropped", () -> bus.counter("outgoing.crypto.drop.no-provider") == 3);
            submit(1, 3, 2);
            assertEquals(5, bus.counter("outgoing.crypto.drop.no-provider"));
            assertEquals(0, sink.got().size(), "nothing passes a missing required stage");
            List<String> warn = log.lines("WARN", "'crypto'", "outgoing", "no-provider");
            assertEquals(1, warn.size(), "one warning line: " + log.lines());
            assertTrue(warn.get(0).contains("3 held packets dropped"), warn.get(0));

            bus.addStage(new TagStage(2), props("crypto", "CRYPTO"));
            assertEquals(1, log.lines("INFO", "'crypto'", "restored").size(), log.lines().toString());
        }
        submit(1, 5, 2);
        assertEquals(List.of(5, 6), sink.seqs());
        StageInfo info = bus.chain(Direction.OUTGOING).get(1);
        assertFalse(info.isMissing());
    }

    @Test
    void optionalSlotIsRemovedAfterTheGraceAndItsHeldPacketsContinuePastIt() throws Exception {
        start(Fixtures.small().withHoldGraceMs(1000));
        TagStage mss = new TagStage(3);
        bus.addStage(mss, props("mss", "MANGLE"));
        TagStage lz4 = new TagStage(5);
        bus.addStage(lz4, props("lz4", "COMPRESS"));
        TagStage crypto = new TagStage(4);
        bus.addStage(crypto, props("crypto", "CRYPTO"));
        bus.removeStage(lz4);
        submit(1, 0, 3);
        assertEquals(0, sink.got().size());
        sink.awaitCount(3);
        assertEquals("ABSENT", state("lz4"));
        assertEquals(List.of(0, 1, 2), sink.seqs());
        assertEquals(3 * 16 + 4, sink.got().get(0).mark(), "mss ran before the hold, crypto after it");
        submit(1, 3, 1);
        assertEquals(4, sink.got().size());
        assertEquals(0, bus.counters().entrySet().stream().filter(e -> e.getKey().contains(".drop.")).count());
    }

    @Test
    void theHoldIsBoundedAndOverflowIsCounted() throws Exception {
        start(Fixtures.small().withHoldGraceMs(10_000).withHoldMaxPackets(2));
        TagStage a = new TagStage(1);
        bus.addStage(a, props("crypto", "CRYPTO"));
        bus.removeStage(a);
        submit(1, 0, 5);
        assertEquals(3, bus.counter("outgoing.crypto.drop.hold-overflow"));
        bus.addStage(a, props("crypto", "CRYPTO"));
        sink.awaitCount(2);
        assertEquals(List.of(0, 1), sink.seqs());
    }

    @Test
    void zeroGraceResolvesAtOnce() {
        start(Fixtures.small().withHoldGraceMs(0).withRequired(Set.of("crypto"), Set.of()));
        TagStage a = new TagStage(1);
        bus.addStage(a, props("crypto", "CRYPTO"));
        bus.removeStage(a);
        assertEquals("MISSING", state("crypto"));
        submit(1, 0, 1);
        assertEquals(1, bus.counter("outgoing.crypto.drop.no-provider"));
    }

    /**
     * Race (a): a producer read the chain with the hold, then the provider came back and a drain started;
     * the producer's packet reaches the hold late. It must be drained after the packets held before it,
     * exactly once, through the new provider.
     */
    @Test
    void aLateOfferOnTheOldChainIsDrainedInOrder() throws Exception {
        start(Fixtures.small().withHoldGraceMs(10_000));
        GateStage before = new GateStage(1); // blocks packet seq 1 before the slot
        java.util.Map<String, Object> gp = props("gate", "OTHER", "outgoing");
        gp.put("tunnelbus.stage.order", 50);
        bus.addStage(before, gp);
        TagStage a = new TagStage(1);
        bus.addStage(a, props("crypto", "CRYPTO"));
        bus.removeStage(a);

        submit(1, 0, 1); // seq 0 held
        Thread late = new Thread(() -> submit(1, 1, 1), "late-producer"); // reads the hold chain, waits at the gate
        late.start();
        before.awaitEntered();

        GateStage successor = new GateStage(); // blocks the drainer inside the first drained packet
        bus.addStage(successor, props("crypto", "CRYPTO"));
        successor.awaitEntered(); // the scheduler drains seq 0 and waits in the successor
        before.open(); // seq 1 continues on the OLD chain and lands in the hold during the drain
        await("late packet held", () -> bus.counter("outgoing.crypto.held") == 2);
        successor.open();
        late.join(10_000);
        sink.awaitCount(2);
        assertEquals(List.of(0, 1), sink.seqs());
        assertEquals(List.of(7 * 16 + 7, 7 * 16 + 7), sink.got().stream().map(RecordingSink.Got::mark).toList(),
                "both passed the gate and then the successor, once");
        assertEquals(2, bus.counter("outgoing.crypto.packets"));
    }

    /** Race (b): a new packet on the new chain waits until the held ones have drained. */
    @Test
    void newPacketsWaitForTheDrain() throws Exception {
        start(Fixtures.small().withHoldGraceMs(10_000));
        TagStage a = new TagStage(1);
        bus.addStage(a, props("crypto", "CRYPTO"));
        bus.removeStage(a);
        submit(1, 0, 2); // held
        GateStage successor = new GateStage();
        bus.addStage(successor, props("crypto", "CRYPTO"));
        successor.awaitEntered(); // the scheduler is draining seq 0
        Thread producer = new Thread(() -> submit(1, 2, 1), "producer");
        producer.start();
        Thread.sleep(100);
        assertEquals(0, sink.got().size(), "the new packet did not overtake the held ones");
        successor.open();
        producer.join(10_000);
        sink.awaitCount(3);
        assertEquals(List.of(0, 1, 2), sink.seqs());
    }

    /** A late offer after the hold was drained and sealed runs on the current chain, once. */
    @Test
    void anOfferToASealedHoldRunsOnTheCurrentChain() throws Exception {
        start(Fixtures.small().withHoldGraceMs(10_000));
        GateStage before = new GateStage(0);
        java.util.Map<String, Object> gp = props("gate", "OTHER", "outgoing");
        gp.put("tunnelbus.stage.order", 50);
        bus.addStage(before, gp);
        TagStage a = new TagStage(1);
        bus.addStage(a, props("crypto", "CRYPTO"));
        bus.removeStage(a);
        Thread late = new Thread(() -> submit(1, 0, 1), "late-producer");
        late.start();
        before.awaitEntered();
        TagStage b = new TagStage(2);
        bus.addStage(b, props("crypto", "CRYPTO"));
        await("drained and sealed", () -> !bus.describe(Direction.OUTGOING).isEmpty() && drainsDone());
        before.open();
        late.join(10_000);
        assertEquals(List.of(0), sink.seqs());
        assertEquals(7 * 16 + 2, sink.got().get(0).mark());
    }

    private boolean drainsDone() {
        try {
            java.lang.reflect.Field f = Bus.class.getDeclaredField("outgoing");
            f.setAccessible(true);
            return !((Chain) f.get(bus)).pending;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
