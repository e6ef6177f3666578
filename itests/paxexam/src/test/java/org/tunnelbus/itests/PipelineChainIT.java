package org.tunnelbus.itests;

import static org.junit.Assert.assertEquals;
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
import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.pipeline.StageInfo;
import org.tunnelbus.itests.support.ItestSupport;
import org.tunnelbus.itests.traffic.CaptureSink;
import org.tunnelbus.itests.traffic.FlowLog;
import org.tunnelbus.itests.traffic.Load;

/**
 * (b) Stage bundles registered in the running distribution: the chain the bus runs ({@link PacketBus#chain}) is the
 * one the Stage services describe (slot names, order, the providing service id and bundle), with the distribution's
 * own stages and without, and packets flow through the stages in that order (each stage appends its id to the
 * packet's trail), counted per slot.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PipelineChainIT extends ItestSupport {
    private static final int PACKETS_PER_FLOW = 10_000;

    @Test
    public void theChainIsWhatTheStageServicesSay() throws Exception {
        PacketBus bus = bus();
        // The distribution alone (its own stages, e.g. routing), no filter.
        for (Direction d : Direction.values()) {
            assertChainIsServices(bus, d, "");
        }
        List<StageInfo> before = bus.chain(Direction.OUTGOING);
        log("distribution chains: outgoing %s, incoming %s", describe(before), describe(bus.chain(Direction.INCOMING)));

        Bundle a = installTestBundle("swap-a");
        Bundle v1 = installTestBundle("upgrade-v1");
        Bundle guard = installTestBundle("guard");
        a.start();
        v1.start();
        guard.start();
        long idA = stageServiceId(a);
        long idV1 = stageServiceId(v1);
        long idGuard = stageServiceId(guard);

        // Explicit expectations of the test stages (their @PipelineStage), then the general rule for everything.
        await("the three test stages in the outgoing chain", 10_000,
                () -> names(bus.chain(Direction.OUTGOING)).containsAll(List.of("itest-swap", "itest-upgrade", "itest-guard")));
        for (Direction d : Direction.values()) {
            assertChainIsServices(bus, d, "");
        }
        List<StageInfo> out = bus.chain(Direction.OUTGOING);
        assertEquals(new StageInfo("itest-swap", Box.OTHER, 610, idA, a.getSymbolicName() + " " + a.getVersion()),
                find(out, "itest-swap"));
        assertEquals(new StageInfo("itest-upgrade", Box.OTHER, 620, idV1, "org.tunnelbus.itest.stage.upgrade 1.0.0"),
                find(out, "itest-upgrade"));
        assertEquals(new StageInfo("itest-guard", Box.OTHER, 630, idGuard, guard.getSymbolicName() + " " + guard.getVersion()),
                find(out, "itest-guard"));
        assertTrue("itest-guard is OUTGOING only: " + describe(bus.chain(Direction.INCOMING)),
                !names(bus.chain(Direction.INCOMING)).contains("itest-guard"));
        // The distribution's stages keep their places before the test stages (order < 610).
        for (StageInfo s : before) {
            assertEquals(s, find(out, s.name()));
        }

        // The bus's stage.filter: only the test stages serve.
        configure(BUS_PID, ONLY_TEST_STAGES);
        await("the chains restricted to itest-*", 10_000, () -> names(bus.chain(Direction.OUTGOING))
                .equals(List.of("itest-swap", "itest-upgrade", "itest-guard")));
        for (Direction d : Direction.values()) {
            assertChainIsServices(bus, d, ITEST_FILTER);
        }
        assertEquals(List.of("itest-swap", "itest-upgrade"), names(bus.chain(Direction.INCOMING)));

        // A second provider of itest-swap with a higher ranking takes the slot; when it goes, the first is back.
        configure("org.tunnelbus.itest.swap.b", Map.of(Constants.SERVICE_RANKING, 50));
        Bundle b = installTestBundle("swap-b");
        b.start();
        long idB = stageServiceId(b);
        await("provider B (ranking 50) serving itest-swap", 10_000,
                () -> find(bus.chain(Direction.OUTGOING), "itest-swap").serviceId() == idB);
        for (Direction d : Direction.values()) {
            assertChainIsServices(bus, d, ITEST_FILTER);
        }
        b.stop();
        await("provider A serving itest-swap again", 10_000,
                () -> find(bus.chain(Direction.OUTGOING), "itest-swap").serviceId() == idA);
        for (Direction d : Direction.values()) {
            assertChainIsServices(bus, d, ITEST_FILTER);
        }
        log("with the test stages: outgoing %s, incoming %s", describe(bus.chain(Direction.OUTGOING)),
                describe(bus.chain(Direction.INCOMING)));
    }

    @Test
    public void packetsFlowThroughTheRegisteredStagesInChainOrder() throws Exception {
        PacketBus bus = bus();
        configure(BUS_PID, ONLY_TEST_STAGES);
        Bundle a = installTestBundle("swap-a");
        Bundle v1 = installTestBundle("upgrade-v1");
        Bundle guard = installTestBundle("guard");
        a.start();
        v1.start();
        guard.start();
        await("outgoing chain itest-swap, itest-upgrade, itest-guard", 10_000, () -> names(bus.chain(Direction.OUTGOING))
                .equals(List.of("itest-swap", "itest-upgrade", "itest-guard")));
        CaptureSink outSink = registerSink(bus, Direction.OUTGOING);
        CaptureSink inSink = registerSink(bus, Direction.INCOMING);

        // trail "A1G" outgoing, "A1" incoming
        runAndCheck(bus, outSink, inSink, "A1G", "A1", 4);

        // B takes the slot (ranking 50 through Config Admin): the trail shows B; A and v1 keep their places.
        configure("org.tunnelbus.itest.swap.b", Map.of(Constants.SERVICE_RANKING, 50));
        Bundle b = installTestBundle("swap-b");
        b.start();
        long idB = stageServiceId(b);
        await("provider B serving itest-swap", 10_000,
                () -> find(bus.chain(Direction.OUTGOING), "itest-swap").serviceId() == idB);
        runAndCheck(bus, outSink, inSink, "B1G", "B1", 8);

        // B stopped: A again.
        b.stop();
        await("provider A serving itest-swap again", 10_000,
                () -> find(bus.chain(Direction.OUTGOING), "itest-swap").serviceId() == stageServiceId(a));
        runAndCheck(bus, outSink, inSink, "A1G", "A1", 12);
    }

    /** Pushes PACKETS_PER_FLOW packets on 4 fresh flows per direction and checks trails, losses and counters. */
    private void runAndCheck(PacketBus bus, CaptureSink outSink, CaptureSink inSink, String outTrail, String inTrail,
                             int firstFlow) throws Exception {
        Map<String, Long> before = bus.counters();
        long outBase = outSink.received();
        long inBase = inSink.received();
        Load out = track(Load.start(bus, outSink, Direction.OUTGOING, 1, 4, firstFlow, 4L * PACKETS_PER_FLOW, 0, 20_000));
        Load in = track(Load.start(bus, inSink, Direction.INCOMING, 1, 4, firstFlow, 4L * PACKETS_PER_FLOW, 0, 20_000));
        long total = 4L * PACKETS_PER_FLOW;
        await("the producers to push " + total + " packets each", 20_000, () -> out.sent() == total && in.sent() == total);
        // The producers are done and the bus runs on their threads: what is missing now is lost (or held).
        within(5_000, () -> outSink.received() - outBase >= total && inSink.received() - inBase >= total);
        out.stop(5_000);
        in.stop(5_000);
        for (Load l : List.of(out, in)) {
            Load.Report r = l.report();
            log("%s", r);
            String trail = l == out ? outTrail : inTrail;
            assertEquals(r.toString(), total, r.pushed());
            assertEquals(r.toString(), total, r.arrived());
            assertEquals(r.toString(), 0, r.lost());
            assertEquals(r.toString(), 0, r.duplicated());
            assertEquals(r.toString(), 0, r.outOfOrder());
            for (Load.Report.Flow f : r.flows()) {
                List<FlowLog.Run> runs = f.log().trailRuns();
                assertEquals("trail of " + l.direction().key() + " flow " + f.id() + ": " + runs, 1, runs.size());
                assertEquals("stages that ran, in order, on " + l.direction().key() + " flow " + f.id(), trail,
                        runs.get(0).value());
            }
        }
        Map<String, Long> d = delta(before, bus.counters());
        assertEquals("drops: " + d, Map.of(), drops(d));
        for (String slot : List.of("itest-swap", "itest-upgrade", "itest-guard")) {
            assertEquals(d.toString(), total, (long) d.getOrDefault("outgoing." + slot + ".packets", 0L));
        }
        assertEquals(d.toString(), total, (long) d.getOrDefault("outgoing.sink.packets", 0L));
        assertEquals(d.toString(), total, (long) d.getOrDefault("incoming.itest-swap.packets", 0L));
        assertEquals(d.toString(), total, (long) d.getOrDefault("incoming.itest-upgrade.packets", 0L));
        assertEquals(d.toString(), 0L, (long) d.getOrDefault("incoming.itest-guard.packets", 0L));
        assertEquals(d.toString(), total, (long) d.getOrDefault("incoming.sink.packets", 0L));
    }

    private void assertChainIsServices(PacketBus bus, Direction d, String filter) throws Exception {
        // Service events reach the bus synchronously, but give a concurrent rebuild a moment.
        long deadline = System.currentTimeMillis() + 5_000;
        List<StageInfo> expected = expectedChain(d, filter);
        while (!bus.chain(d).equals(expected) && System.currentTimeMillis() < deadline) {
            sleep(10);
            expected = expectedChain(d, filter);
        }
        assertEquals("the " + d.key() + " chain the bus runs vs the Stage services (filter '" + filter + "')",
                describe(expected), describe(bus.chain(d)));
        assertEquals(expected, bus.chain(d));
    }

    private static List<String> names(List<StageInfo> chain) {
        return chain.stream().map(StageInfo::name).toList();
    }

    private static StageInfo find(List<StageInfo> chain, String name) {
        return chain.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no slot " + name + " in " + describe(chain)));
    }
}
