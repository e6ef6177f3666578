package org.tunnelbus.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.pipeline.StageInfo;
import org.tunnelbus.itests.support.ItestSupport;
import org.tunnelbus.itests.traffic.CaptureSink;
import org.tunnelbus.itests.traffic.FlowLog;
import org.tunnelbus.itests.traffic.Load;
import org.tunnelbus.itests.traffic.Payload;

/**
 * (d) The bundle providing slot {@code itest-upgrade} (the only provider) is updated from version 1.0.0 to 2.0.0 with
 * {@code Bundle.update(InputStream)} while two producer threads push at least 1,000,000 packets on 8 flows: the bus
 * holds the slot's packets while no provider is there and drains them through version 2. Every packet arrives
 * exactly once, in order per flow; every flow shows version 1, then version 2.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundleUpdateUnderLoadIT extends ItestSupport {
    static final long MIN_PACKETS = 1_000_000;
    static final int PRODUCERS = 2;
    static final int FLOWS_PER_PRODUCER = 4;
    /** Unpaced producers keep pushing while the test waits for the swap (FileInstall polls once a second): a bound
     * far above what they reach in the time bound of 90 s on 2 cores, so they never stop before the test says so. */
    static final long MAX_PER_PRODUCER = 200_000_000;
    private static final int UPGRADE = Payload.slot("itest-upgrade");

    @Test
    public void updateTheOnlyProviderOfASlotUnderLoad() throws Exception {
        PacketBus bus = bus();
        configure(BUS_PID, ONLY_TEST_STAGES);
        Bundle u = installTestBundle("upgrade-v1");
        u.start();
        assertEquals(Version.parseVersion("1.0.0"), u.getVersion());
        long id1 = stageServiceId(u);
        await("version 1 serving itest-upgrade", 10_000, () -> served(bus) != null && served(bus).serviceId() == id1);
        assertEquals("org.tunnelbus.itest.stage.upgrade 1.0.0", served(bus).bundle());
        CaptureSink sink = registerSink(bus, Direction.OUTGOING);
        long poolBaseline = bus.allocator().outstanding();
        Map<String, Long> before = bus.counters();
        long base = sink.received();

        long t0 = System.nanoTime();
        Load load = track(Load.start(bus, sink, Direction.OUTGOING, PRODUCERS, FLOWS_PER_PRODUCER, 0, MAX_PER_PRODUCER, 0,
                90_000));
        await("300,000 packets through version 1", 30_000, () -> sink.received() - base >= 300_000);

        long s = System.nanoTime();
        try (InputStream in = Files.newInputStream(testBundleFile("upgrade-v2"))) {
            u.update(in);
        }
        long updateMs = (System.nanoTime() - s) / 1_000_000;
        assertEquals(Version.parseVersion("2.0.0"), u.getVersion());
        assertEquals("state after the update", Bundle.ACTIVE, u.getState());
        await("version 2 serving itest-upgrade", 10_000, () -> served(bus) != null
                && served(bus).bundle().equals("org.tunnelbus.itest.stage.upgrade 2.0.0"));
        long servedMs = (System.nanoTime() - s) / 1_000_000;
        long id2 = stageServiceId(u);
        assertEquals(id2, served(bus).serviceId());
        await("packets stamped by version 2 on every flow", 10_000, () -> allFlowsMatch(sink, "12"));
        long afterUpdate = sink.received();
        await(MIN_PACKETS + " packets pushed, 200,000 after the update", 60_000,
                () -> load.sent() >= MIN_PACKETS && sink.received() - afterUpdate >= 200_000);

        load.stop(10_000);
        long pushed = load.sent();
        within(10_000, () -> sink.received() - base >= pushed);
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        Load.Report r = load.report();
        Map<String, Long> d = delta(before, bus.counters());
        long v1 = 0;
        long v2 = 0;
        for (Load.Report.Flow f : r.flows()) {
            v1 += f.log().stamped(UPGRADE, '1');
            v2 += f.log().stamped(UPGRADE, '2');
        }
        log("bundle update under load: %s in %d ms (%.0f packets/s); version 1 processed %d, version 2 %d packets; "
                + "Bundle.update took %d ms, version 2 in the chain after %d ms; %d packets waited in the hold",
                r, elapsedMs, r.pushed() * 1000.0 / elapsedMs, v1, v2, updateMs, servedMs,
                d.getOrDefault("outgoing.itest-upgrade.held", 0L));
        log("counters: %s", d);

        assertFalse("a producer ran into its time bound", load.timedOut());
        assertTrue(r.toString(), r.pushed() >= MIN_PACKETS);
        assertEquals("lost: " + r, 0, r.lost());
        assertEquals("duplicated: " + r, 0, r.duplicated());
        assertEquals("out of order: " + r, 0, r.outOfOrder());
        assertEquals("arrived: " + r, r.pushed(), r.arrived());
        assertEquals("malformed: " + r, 0, r.malformed());
        for (Load.Report.Flow f : r.flows()) {
            List<FlowLog.Run> runs = f.log().stampRuns(UPGRADE);
            assertEquals("versions of itest-upgrade, in arrival order, on flow " + f.id() + ": " + runs, "12",
                    f.log().stampPattern(UPGRADE));
            assertEquals("every packet of flow " + f.id() + " went through version 1 or 2: " + runs, f.pushed(),
                    f.log().stamped(UPGRADE, '1') + f.log().stamped(UPGRADE, '2'));
        }
        assertTrue("version 2 processed packets", v2 > 0);
        assertEquals("drops: " + d, Map.of(), drops(d));
        assertEquals(d.toString(), r.pushed(), (long) d.getOrDefault("outgoing.itest-upgrade.packets", 0L));
        assertEquals(d.toString(), r.pushed(), (long) d.getOrDefault("outgoing.sink.packets", 0L));
        assertTrue("packets still out of the pool: " + bus.allocator().outstanding() + " (before: " + poolBaseline + ")",
                within(5_000, () -> bus.allocator().outstanding() == poolBaseline));
    }

    private static StageInfo served(PacketBus bus) {
        for (StageInfo s : bus.chain(Direction.OUTGOING)) {
            if (s.name().equals("itest-upgrade") && !s.isMissing()) {
                return s;
            }
        }
        return null;
    }

    private static boolean allFlowsMatch(CaptureSink sink, String pattern) {
        for (int f = 0; f < PRODUCERS * FLOWS_PER_PRODUCER; f++) {
            if (!sink.flow(f).stampPattern(UPGRADE).equals(pattern)) {
                return false;
            }
        }
        return true;
    }
}
