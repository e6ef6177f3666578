package org.tunnelbus.core.internal.shell;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.pipeline.Verdict;
import org.tunnelbus.core.internal.bus.Bus;
import org.tunnelbus.core.internal.bus.BusComponent;

class BusCommandsTest {
    @Test
    void chainShowsSlotsStatesAndBundlesAndCountersShowWhatHappened() {
        BusComponent c = new BusComponent(new HashMap<>(Map.of("pool.packets", "64", "pool.buffer.size", "256",
                "required.stages", "outgoing:crypto")));
        try {
            Map<String, Object> mss = new HashMap<>();
            mss.put(PipelineStage.NAME, "mss-clamp");
            mss.put(PipelineStage.BOX, "MANGLE");
            mss.put(Constants.SERVICE_ID, 42L);
            mss.put(Bus.BUNDLE_PROPERTY, "org.tunnelbus.mangle.mss 0.1.0");
            c.bus().addStage(p -> p.length() > 100 ? Verdict.drop("too-big") : Verdict.PASS, mss);
            c.bus().addSink(Packet::release, Map.of(PacketSink.DIRECTION, "outgoing"));
            Packet big = c.allocator().allocate();
            big.setLength(200);
            c.submit(Direction.OUTGOING, big);

            BusCommands cmd = new BusCommands(c);
            String chain = cmd.chain("outgoing");
            assertTrue(chain.contains("mss-clamp") && chain.contains("MANGLE") && chain.contains("ACTIVE")
                    && chain.contains("42") && chain.contains("org.tunnelbus.mangle.mss 0.1.0"), chain);
            assertTrue(chain.contains("crypto") && chain.contains("MISSING"), chain);
            assertTrue(cmd.chain().contains("incoming chain"), cmd.chain());
            String counters = cmd.counters();
            assertTrue(counters.contains("outgoing.mss-clamp.drop.too-big"), counters);
            assertTrue(cmd.counters("drop").lines().allMatch(l -> l.contains("drop")), cmd.counters("drop"));
        } finally {
            c.bus().close();
        }
    }
}
