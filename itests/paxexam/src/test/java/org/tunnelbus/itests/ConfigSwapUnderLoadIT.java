package org.tunnelbus.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.pipeline.StageInfo;
import org.tunnelbus.itests.support.ItestSupport;
import org.tunnelbus.itests.traffic.CaptureSink;
import org.tunnelbus.itests.traffic.FlowLog;
import org.tunnelbus.itests.traffic.Load;
import org.tunnelbus.itests.traffic.Payload;

/**
 * (c) Two providers of slot {@code itest-swap} (bundles A and B, each stamping its id into the packets) while two
 * producer threads push at least 1,000,000 packets on 8 flows through the OUTGOING chain: the slot is swapped to B
 * through Config Admin (B's {@code service.ranking} raised above A's), then back to A by a {@code .config} file
 * written into the folder FileInstall watches (A's ranking raised above B's). Every packet arrives exactly once, in
 * order per flow, and every flow shows A, then B, then A.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigSwapUnderLoadIT extends ItestSupport {
    static final long MIN_PACKETS = 1_000_000;
    static final int PRODUCERS = 2;
    static final int FLOWS_PER_PRODUCER = 4;
    /** Unpaced producers keep pushing while the test waits for the swap (FileInstall polls once a second): a bound
     * far above what they reach in the time bound of 90 s on 2 cores, so they never stop before the test says so. */
    static final long MAX_PER_PRODUCER = 200_000_000;
    private static final int SWAP = Payload.slot("itest-swap");

    @Test
    public void swapThroughConfigAdminAndThroughTheWatchedFolderUnderLoad() throws Exception {
        PacketBus bus = bus();
        configure(BUS_PID, ONLY_TEST_STAGES);
        Bundle a = installTestBundle("swap-a");
        Bundle b = installTestBundle("swap-b");
        a.start();
        b.start();
        long idA = stageServiceId(a);
        long idB = stageServiceId(b);
        await("A (ranking 10) serving itest-swap over B (ranking 5)", 10_000, () -> servedBy(bus) == idA);
        CaptureSink sink = registerSink(bus, Direction.OUTGOING);
        long poolBaseline = bus.allocator().outstanding();
        Map<String, Long> before = bus.counters();
        long base = sink.received();

        long t0 = System.nanoTime();
        Load load = track(Load.start(bus, sink, Direction.OUTGOING, PRODUCERS, FLOWS_PER_PRODUCER, 0, MAX_PER_PRODUCER, 0,
                90_000));
        await("200,000 packets through A", 30_000, () -> sink.received() - base >= 200_000);

        // Swap 1: Config Admin raises B's ranking (component PID org.tunnelbus.itest.swap.b) above A's.
        long s1 = System.nanoTime();
        configure("org.tunnelbus.itest.swap.b", Map.of(Constants.SERVICE_RANKING, 20));
        await("B serving itest-swap after the Config Admin change", 10_000, () -> servedBy(bus) == idB);
        long swap1Ms = (System.nanoTime() - s1) / 1_000_000;
        await("packets stamped B on every flow", 10_000, () -> allFlowsMatch(sink, "AB"));
        long afterSwap1 = sink.received();
        await("300,000 more packets through B", 30_000, () -> sink.received() - afterSwap1 >= 300_000);

        // Swap 2: a file in the watched folder (FileInstall -> Config Admin -> DS) raises A's ranking above B's.
        long s2 = System.nanoTime();
        writeWatchedFile("org.tunnelbus.itest.swap.a.config", "# itest: A takes itest-swap back\nservice.ranking=I\"30\"\n");
        await("A serving itest-swap after the watched-folder change", 15_000, () -> servedBy(bus) == idA);
        long swap2Ms = (System.nanoTime() - s2) / 1_000_000;
        await("packets stamped A again on every flow", 10_000, () -> allFlowsMatch(sink, "ABA"));
        long afterSwap2 = sink.received();
        await(MIN_PACKETS + " packets pushed, 200,000 after the second swap", 60_000,
                () -> load.sent() >= MIN_PACKETS && sink.received() - afterSwap2 >= 200_000);

        load.stop(10_000);
        long pushed = load.sent();
        within(10_000, () -> sink.received() - base >= pushed);
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        Load.Report r = load.report();
        Map<String, Long> d = delta(before, bus.counters());
        long stampedA = 0;
        long stampedB = 0;
        for (Load.Report.Flow f : r.flows()) {
            stampedA += f.log().stamped(SWAP, 'A');
            stampedB += f.log().stamped(SWAP, 'B');
        }
        log("swap under load: %s in %d ms (%.0f packets/s); A %d, B %d packets; swap 1 (Config Admin) seen in the chain "
                + "after %d ms, swap 2 (watched file) after %d ms", r, elapsedMs, r.pushed() * 1000.0 / elapsedMs,
                stampedA, stampedB, swap1Ms, swap2Ms);
        log("counters: %s", d);

        assertFalse("a producer ran into its time bound", load.timedOut());
        assertTrue(r.toString(), r.pushed() >= MIN_PACKETS);
        assertEquals("lost: " + r, 0, r.lost());
        assertEquals("duplicated: " + r, 0, r.duplicated());
        assertEquals("out of order: " + r, 0, r.outOfOrder());
        assertEquals("arrived: " + r, r.pushed(), r.arrived());
        assertEquals("malformed: " + r, 0, r.malformed());
        for (Load.Report.Flow f : r.flows()) {
            List<FlowLog.Run> runs = f.log().stampRuns(SWAP);
            assertEquals("providers of itest-swap, in arrival order, on flow " + f.id() + ": " + runs, "ABA",
                    f.log().stampPattern(SWAP));
            assertEquals("every packet of flow " + f.id() + " went through A or B: " + runs, f.pushed(),
                    f.log().stamped(SWAP, 'A') + f.log().stamped(SWAP, 'B'));
        }
        assertTrue(stampedA > 0 && stampedB > 0);
        assertEquals("drops: " + d, Map.of(), drops(d));
        assertEquals(d.toString(), r.pushed(), (long) d.getOrDefault("outgoing.itest-swap.packets", 0L));
        assertEquals(d.toString(), r.pushed(), (long) d.getOrDefault("outgoing.sink.packets", 0L));
        assertTrue("packets still out of the pool: " + bus.allocator().outstanding() + " (before: " + poolBaseline + ")",
                within(5_000, () -> bus.allocator().outstanding() == poolBaseline));
    }

    private static long servedBy(PacketBus bus) {
        for (StageInfo s : bus.chain(Direction.OUTGOING)) {
            if (s.name().equals("itest-swap")) {
                return s.serviceId();
            }
        }
        return -2;
    }

    private static boolean allFlowsMatch(CaptureSink sink, String pattern) {
        for (int f = 0; f < PRODUCERS * FLOWS_PER_PRODUCER; f++) {
            if (!sink.flow(f).stampPattern(SWAP).equals(pattern)) {
                return false;
            }
        }
        return true;
    }
}
