package org.tunnelbus.core.internal.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The DS adapter keeps its last good configuration when a bad one arrives. */
class BusComponentTest {
    @Test
    void aBadConfigurationIsRefusedWithOneLineAndTheLastGoodOneStays() {
        Map<String, Object> good = new HashMap<>(Map.of("hold.grace.ms", "300", "pool.packets", "64",
                "pool.buffer.size", "256"));
        BusComponent c = new BusComponent(good);
        try (LogCapture log = new LogCapture()) {
            Map<String, Object> bad = new HashMap<>(good);
            bad.put("hold.grace.ms", "-1");
            bad.put(org.tunnelbus.core.internal.config.ConfigReader.FILEINSTALL_FILENAME, "/etc/tunnelbus/bus.cfg");
            c.modified(bad);
            List<String> lines = log.lines("org.tunnelbus.core.bus", "hold.grace.ms", "-1", "/etc/tunnelbus/bus.cfg");
            assertEquals(1, lines.size(), log.lines().toString());
            assertTrue(lines.get(0).contains("ERROR"));
        }
        assertEquals(300, c.bus().settings().holdGraceMs());

        Map<String, Object> next = new HashMap<>(good);
        next.put("hold.grace.ms", "700");
        c.modified(next);
        assertEquals(700, c.bus().settings().holdGraceMs());
        c.deactivate();
    }

    @Test
    void aPoolChangeAppliesLive() {
        BusComponent c = new BusComponent(new HashMap<>(Map.of("pool.packets", "64", "pool.buffer.size", "256")));
        assertEquals(64, c.bus().allocator().current().size());
        c.modified(new HashMap<>(Map.of("pool.packets", "128", "pool.buffer.size", "512", "pool.headroom", "32")));
        assertEquals(128, c.bus().allocator().current().size());
        assertEquals(32, c.bus().allocator().headroom());
        assertEquals(512, c.bus().allocator().capacity());
        c.deactivate();
    }
}
