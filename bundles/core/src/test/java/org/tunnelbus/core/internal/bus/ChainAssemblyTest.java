package org.tunnelbus.core.internal.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tunnelbus.core.internal.bus.Fixtures.packet;
import static org.tunnelbus.core.internal.bus.Fixtures.props;
import static org.tunnelbus.core.internal.bus.Fixtures.sinkProps;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.pipeline.StageInfo;
import org.tunnelbus.core.internal.bus.Fixtures.RecordingSink;
import org.tunnelbus.core.internal.bus.Fixtures.TagStage;

/** How the bus assembles each chain from stage properties. */
class ChainAssemblyTest {
    private final Bus bus = new Bus(Fixtures.small());

    @AfterEach
    void close() {
        bus.close();
        assertEquals(0, bus.leaks().count(), bus.leaks().describe());
    }

    private static List<String> names(List<StageInfo> chain) {
        return chain.stream().map(StageInfo::name).toList();
    }

    @Test
    void slotsAreSortedByTheirBoxOrderForEachDirection() {
        bus.addStage(new TagStage(1), props("encap", "ENCAP"));
        bus.addStage(new TagStage(2), props("crypto", "CRYPTO"));
        bus.addStage(new TagStage(3), props("route", "ROUTE"));
        bus.addStage(new TagStage(4), props("mss", "MANGLE"));
        bus.addStage(new TagStage(5), props("lz4", "COMPRESS"));

        assertEquals(List.of("mss", "route", "lz4", "crypto", "encap"), names(bus.chain(Direction.OUTGOING)));
        assertEquals(List.of("encap", "crypto", "lz4", "mss", "route"), names(bus.chain(Direction.INCOMING)));
        StageInfo crypto = bus.chain(Direction.OUTGOING).get(3);
        assertEquals(Box.CRYPTO, crypto.box());
        assertEquals(400, crypto.order());
        assertEquals(200, bus.chain(Direction.INCOMING).get(1).order());
    }

    @Test
    void explicitOrderAndDirectionAreHonoured() {
        Map<String, Object> tap = props("tap", "OTHER", "outgoing");
        tap.put(PipelineStage.ORDER, "150");
        bus.addStage(new TagStage(1), tap);
        bus.addStage(new TagStage(2), props("route", "ROUTE", "outgoing"));
        bus.addStage(new TagStage(3), props("mss", "MANGLE"));

        assertEquals(List.of("mss", "tap", "route"), names(bus.chain(Direction.OUTGOING)));
        assertEquals(List.of("mss"), names(bus.chain(Direction.INCOMING)));
        assertEquals(150, bus.chain(Direction.OUTGOING).get(1).order());
    }

    @Test
    void highestRankingServesTheSlotAndTiesGoToTheLowestServiceId() throws Exception {
        TagStage a = new TagStage(1);
        TagStage b = new TagStage(2);
        TagStage c = new TagStage(3);
        bus.addStage(a, props("crypto", "CRYPTO", 0, 10));
        bus.addStage(b, props("crypto", "CRYPTO", 5, 11));
        bus.addStage(c, props("crypto", "CRYPTO", 5, 12));
        assertEquals(11, bus.chain(Direction.OUTGOING).get(0).serviceId());

        // a ranking change (DS "updated") swaps providers
        bus.addStage(a, props("crypto", "CRYPTO", 9, 10));
        assertEquals(10, bus.chain(Direction.OUTGOING).get(0).serviceId());

        RecordingSink sink = new RecordingSink();
        bus.addSink(sink, sinkProps("outgoing"));
        bus.submit(Direction.OUTGOING, packet(bus, 1, 1));
        assertEquals(1, a.calls.get());
        assertEquals(0, b.calls.get() + c.calls.get());

        // removing the best hands the slot to the next, with no hold
        bus.removeStage(a);
        assertEquals(11, bus.chain(Direction.OUTGOING).get(0).serviceId());
        assertEquals("ACTIVE", bus.describe(Direction.OUTGOING).get(0).state());
    }

    @Test
    void theStageFilterExcludesProviders() throws Exception {
        Map<String, Object> slow = props("crypto", "CRYPTO", 10, 1);
        slow.put("tunnelbus.crypto.provider", "jsse");
        Map<String, Object> fast = props("crypto", "CRYPTO", 0, 2);
        fast.put("tunnelbus.crypto.provider", "bc");
        bus.addStage(new TagStage(1), slow);
        bus.addStage(new TagStage(2), fast);
        bus.addStage(new TagStage(3), props("mss", "MANGLE", 0, 3));
        assertEquals(List.of(3L, 1L), bus.chain(Direction.OUTGOING).stream().map(StageInfo::serviceId).toList());

        String f = "(|(tunnelbus.crypto.provider=bc)(!(tunnelbus.stage.box=CRYPTO)))";
        bus.configure(bus.settings().withFilter(f, FrameworkUtil.createFilter(f)));
        assertEquals(List.of(3L, 2L), bus.chain(Direction.OUTGOING).stream().map(StageInfo::serviceId).toList());
    }

    @Test
    void defaultSinkIsTheHighestRankedForItsDirection() {
        RecordingSink low = new RecordingSink();
        RecordingSink high = new RecordingSink();
        Map<String, Object> hp = sinkProps("incoming");
        hp.put(Constants.SERVICE_RANKING, 7);
        bus.addSink(low, sinkProps("incoming"));
        bus.addSink(high, hp);
        assertSame(high, bus.defaultSink(Direction.INCOMING));
        assertNull(bus.defaultSink(Direction.OUTGOING));
        bus.removeSink(high);
        assertSame(low, bus.defaultSink(Direction.INCOMING));
    }

    @Test
    void injectEntersAtTheFirstSlotWithOrderAtLeastFromOrder() {
        TagStage mss = new TagStage(1);
        TagStage route = new TagStage(2);
        TagStage crypto = new TagStage(3);
        bus.addStage(mss, props("mss", "MANGLE"));
        bus.addStage(route, props("route", "ROUTE"));
        bus.addStage(crypto, props("crypto", "CRYPTO"));
        RecordingSink sink = new RecordingSink();
        bus.addSink(sink, sinkProps("outgoing"));

        bus.inject(Direction.OUTGOING, packet(bus, 1, 1), 201);
        assertEquals(0, mss.calls.get() + route.calls.get());
        assertEquals(1, crypto.calls.get());
        assertEquals(3, sink.got().get(0).mark());

        bus.inject(Direction.OUTGOING, packet(bus, 1, 2), 10_000);
        assertEquals(2, sink.got().size(), "past every slot: straight to the sink");
    }

    @Test
    void badStagePropertiesAreRefusedWithoutBreakingTheChain() {
        bus.addStage(new TagStage(1), props("mss", "MANGLE"));
        assertEquals(-1, bus.addStage(new TagStage(2), props("Bad Name", "MANGLE")));
        assertEquals(-1, bus.addStage(new TagStage(3), props("x", "NOPE")));
        assertEquals(List.of("mss"), names(bus.chain(Direction.OUTGOING)));
    }

    @Test
    void requiredSlotWithoutAnyProviderIsMissingAtTheEndOfTheChain() {
        bus.configure(bus.settings().withRequired(java.util.Set.of("crypto"), java.util.Set.of()));
        bus.addStage(new TagStage(1), props("mss", "MANGLE"));
        List<StageInfo> out = bus.chain(Direction.OUTGOING);
        assertEquals(List.of("mss", "crypto"), names(out));
        assertTrue(out.get(1).isMissing());
        RecordingSink sink = new RecordingSink();
        bus.addSink(sink, sinkProps("outgoing"));
        bus.submit(Direction.OUTGOING, packet(bus, 1, 1));
        assertEquals(0, sink.got().size());
        assertEquals(1, bus.counter("outgoing.crypto.drop.no-provider"));
        assertEquals(1, bus.counter("outgoing.mss.packets"));
    }
}
