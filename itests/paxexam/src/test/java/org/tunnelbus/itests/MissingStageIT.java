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
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.pipeline.StageInfo;
import org.tunnelbus.itests.support.ItestSupport;
import org.tunnelbus.itests.support.LogCapture;
import org.tunnelbus.itests.traffic.CaptureSink;
import org.tunnelbus.itests.traffic.Load;
import org.tunnelbus.itests.traffic.Payload;

/**
 * (e) A required stage with no substitute ({@code itest-guard}, OUTGOING, listed in the bus's
 * {@code required.stages}) is stopped under traffic in both directions: its packets are held for the grace period,
 * then dropped and counted as {@code no-provider}, with exactly one WARN line; starting it again heals the chain;
 * the INCOMING chain (which does not need it) keeps flowing all along without losing a packet.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MissingStageIT extends ItestSupport {
    static final String DROP = "outgoing.itest-guard.drop.no-provider";
    static final long GRACE_MS = 1500;
    /** Paced so that what the hold keeps during the grace period (rate x grace) fits in the pool with room to spare. */
    static final long OUTGOING_RATE = 4_000;
    static final long INCOMING_RATE = 100_000;
    private static final int GUARD = Payload.slot("itest-guard");

    @Test
    public void aRequiredStageWithoutSubstituteDropsOnlyWhatNeedsItAndHeals() throws Exception {
        PacketBus bus = bus();
        configure(BUS_PID, Map.of("stage.filter", ITEST_FILTER, "required.stages", "outgoing:itest-guard",
                "hold.grace.ms", String.valueOf(GRACE_MS)));
        await("itest-guard required: a missing slot in the outgoing chain", 10_000,
                () -> guard(bus) != null && guard(bus).isMissing());
        Bundle a = installTestBundle("swap-a");
        Bundle g = installTestBundle("guard");
        a.start();
        g.start();
        long idGuard = stageServiceId(g);
        await("itest-guard served", 10_000, () -> guard(bus) != null && guard(bus).serviceId() == idGuard);
        await("itest-swap in both chains", 10_000, () -> has(bus, Direction.OUTGOING, "itest-swap")
                && has(bus, Direction.INCOMING, "itest-swap"));
        CaptureSink outSink = registerSink(bus, Direction.OUTGOING);
        CaptureSink inSink = registerSink(bus, Direction.INCOMING);
        Map<String, Long> before = bus.counters();
        LogCapture logs = captureLogs();

        Load out = track(Load.start(bus, outSink, Direction.OUTGOING, 1, 4, 0, 1_000_000, OUTGOING_RATE, 60_000));
        Load in = track(Load.start(bus, inSink, Direction.INCOMING, 1, 4, 0, 10_000_000, INCOMING_RATE, 60_000));
        await("traffic in both directions", 10_000, () -> outSink.received() > 2_000 && inSink.received() > 20_000);

        // Stop the only provider.
        int logMark = logs.lines().size();
        long inAtStop = inSink.received();
        long tStop = System.nanoTime();
        g.stop();
        await("the first no-provider drop", GRACE_MS + 10_000, () -> counter(bus, DROP) > 0);
        long graceMs = (System.nanoTime() - tStop) / 1_000_000;
        long inDuringGrace = inSink.received() - inAtStop;
        long outAtExpiry = outSink.received();
        assertTrue("itest-guard is shown missing: " + describe(bus.chain(Direction.OUTGOING)), guard(bus).isMissing());

        // An outage of one second: outgoing packets are dropped, incoming ones flow.
        long inAtExpiry = inSink.received();
        long dropsAtExpiry = counter(bus, DROP);
        sleep(1_000);
        long inDuringOutage = inSink.received() - inAtExpiry;
        long outDuringOutage = outSink.received() - outAtExpiry;
        long dropsDuringOutage = counter(bus, DROP) - dropsAtExpiry;

        // Start it again: healed.
        long tStart = System.nanoTime();
        g.start();
        long idGuard2 = stageServiceId(g);
        await("itest-guard served again", 10_000, () -> guard(bus) != null && guard(bus).serviceId() == idGuard2);
        long outAtHeal = outSink.received();
        await("outgoing packets flowing again", 10_000, () -> outSink.received() - outAtHeal >= 2_000);
        long healMs = (System.nanoTime() - tStart) / 1_000_000;
        long dropsAfterHeal = counter(bus, DROP);
        sleep(200);
        assertEquals("no-provider drops after the stage came back", dropsAfterHeal, counter(bus, DROP));

        out.stop(10_000);
        in.stop(10_000);
        long outPushed = out.sent();
        long inPushed = in.sent();
        within(10_000, () -> outSink.received() + counter(bus, DROP) - before.getOrDefault(DROP, 0L) >= outPushed
                && inSink.received() >= inPushed);
        List<String> window = logs.lines();
        List<String> warnings = window.subList(Math.min(logMark, window.size()), window.size()).stream()
                .filter(LogCapture::isWarnOrError).toList();

        Load.Report ro = out.report();
        Load.Report ri = in.report();
        Map<String, Long> d = delta(before, bus.counters());
        long dropped = d.getOrDefault(DROP, 0L);
        log("missing stage: outgoing %s; incoming %s", ro, ri);
        log("grace: first no-provider drop %d ms after stop; incoming packets during the grace %d, during the 1 s outage "
                + "%d; outgoing during the outage: %d delivered, %d dropped; healed %d ms after start; warnings: %s",
                graceMs, inDuringGrace, inDuringOutage, outDuringOutage, dropsDuringOutage, healMs, warnings);
        log("counters: %s", d);

        assertFalse("a producer ran into its time bound", out.timedOut() || in.timedOut());
        // held for the grace period before anything was dropped
        assertTrue("first no-provider drop after " + graceMs + " ms, grace is " + GRACE_MS, graceMs >= GRACE_MS - 50);
        // dropped: exactly what is missing at the outgoing sink, counted under the slot, nothing else dropped
        assertTrue("no-provider drops", dropped > 0);
        assertEquals("drops: " + d, Map.of(DROP, dropped), drops(d));
        assertEquals("outgoing lost = counted no-provider drops: " + ro, dropped, ro.lost());
        assertEquals("outgoing: " + ro, ro.pushed(), ro.arrived() + dropped);
        assertEquals("outgoing duplicated: " + ro, 0, ro.duplicated());
        assertEquals("outgoing out of order: " + ro, 0, ro.outOfOrder());
        assertEquals("nothing passed the missing stage during the outage", 0, outDuringOutage);
        assertTrue("drops during the outage", dropsDuringOutage > 0);
        for (Load.Report.Flow f : ro.flows()) {
            assertEquals("outgoing flow " + f.id() + ": one gap (the outage), at " + f.log().gapText(f.pushed(), 5), 1,
                    f.gaps());
            assertEquals("every delivered packet of outgoing flow " + f.id() + " went through itest-guard",
                    f.arrived(), f.log().stamped(GUARD, 'G'));
            assertTrue("outgoing flow " + f.id() + " delivered packets after the heal",
                    f.log().arrivedFrom(f.pushed() - 100) > 0);
        }
        // healed
        assertTrue("outgoing packets after the heal", outSink.received() - outAtHeal >= 2_000);
        // exactly one warning, naming the stage and the counter
        assertEquals("WARN/ERROR lines from the stop to the heal: " + warnings, 1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).contains("itest-guard") && warnings.get(0).contains("no-provider"));
        // the other direction undisturbed
        assertEquals("incoming lost: " + ri, 0, ri.lost());
        assertEquals("incoming duplicated: " + ri, 0, ri.duplicated());
        assertEquals("incoming out of order: " + ri, 0, ri.outOfOrder());
        assertEquals("incoming arrived: " + ri, ri.pushed(), ri.arrived());
        assertTrue("incoming packets during the grace period: " + inDuringGrace, inDuringGrace > 1_000);
        assertTrue("incoming packets during the outage: " + inDuringOutage, inDuringOutage > 1_000);
        assertEquals(d.toString(), ri.pushed(), (long) d.getOrDefault("incoming.itest-swap.packets", 0L));
        assertEquals(d.toString(), ri.pushed(), (long) d.getOrDefault("incoming.sink.packets", 0L));
    }

    private static StageInfo guard(PacketBus bus) {
        for (StageInfo s : bus.chain(Direction.OUTGOING)) {
            if (s.name().equals("itest-guard")) {
                return s;
            }
        }
        return null;
    }

    private static boolean has(PacketBus bus, Direction d, String name) {
        return bus.chain(d).stream().anyMatch(s -> s.name().equals(name) && !s.isMissing());
    }

    private static long counter(PacketBus bus, String name) {
        return bus.counters().getOrDefault(name, 0L);
    }
}
