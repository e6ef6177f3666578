package org.tunnelbus.core.internal.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.pipeline.Direction;

class BusConfigValidatorTest {
    private static final String KEEP = "keeping the last good configuration";

    private static BusConfigValidator.Result validate(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return BusConfigValidator.validate(m, KEEP);
    }

    @Test
    void emptyConfigurationMeansDefaults() {
        BusConfigValidator.Result r = BusConfigValidator.validate(null, KEEP);
        assertTrue(r.ok());
        assertEquals(BusSettings.defaults(), r.settings());
        assertEquals(1500, r.settings().holdGraceMs());
        assertEquals(16384, r.settings().poolPackets());
    }

    @Test
    void stringsFromACfgFileAreParsed() {
        BusConfigValidator.Result r = validate("hold.grace.ms", "250", "pool.packets", "1024", "leak.check", "true",
                "required.stages", "outgoing:crypto, route", "stage.filter", "(!(tunnelbus.stage.name=mss))");
        assertTrue(r.ok(), r.refusal());
        BusSettings s = r.settings();
        assertEquals(250, s.holdGraceMs());
        assertEquals(1024, s.poolPackets());
        assertTrue(s.leakCheck());
        assertEquals(Set.of("crypto", "route"), s.requiredOutgoing());
        assertEquals(Set.of("route"), s.requiredIncoming());
        assertTrue(s.required(Direction.OUTGOING, "crypto"));
        assertFalse(s.matches(Map.of("tunnelbus.stage.name", "mss")));
        assertTrue(s.matches(Map.of("tunnelbus.stage.name", "crypto")));
    }

    @Test
    void typedValuesAndArraysAreAccepted() {
        BusConfigValidator.Result r = validate("hold.grace.ms", 0L, "hold.max.packets", 10,
                "required.stages", new String[] {"incoming:crypto"});
        assertTrue(r.ok(), r.refusal());
        assertEquals(Set.of("crypto"), r.settings().requiredIncoming());
        assertEquals(Set.of(), r.settings().requiredOutgoing());
    }

    @Test
    void aBadFilterIsRefusedNamingThePidTheFileThePropertyTheValueAndWhy() {
        BusConfigValidator.Result r = validate("stage.filter", "(tunnelbus.stage.name=crypto",
                "felix.fileinstall.filename", "file:/opt/tunnelbus/config/org.tunnelbus.core.bus.cfg");
        assertFalse(r.ok());
        String line = r.refusal();
        assertTrue(line.startsWith("Refused configuration org.tunnelbus.core.bus (file "
                + "/opt/tunnelbus/config/org.tunnelbus.core.bus.cfg): stage.filter='(tunnelbus.stage.name=crypto' "
                + "is not a valid LDAP filter"), line);
        assertTrue(line.endsWith(KEEP), line);
        assertFalse(line.contains("\n"), "one line");
    }

    @Test
    void negativeAndAbsurdNumbersAreRefused() {
        assertEquals("Refused configuration org.tunnelbus.core.bus: hold.grace.ms='-5' must be from 0 to 600000; " + KEEP,
                validate("hold.grace.ms", "-5").refusal());
        assertTrue(validate("pool.packets", 1L << 40).refusal().contains("pool.packets='1099511627776' must be from 16"));
        assertTrue(validate("pool.buffer.size", "lots").refusal().contains("pool.buffer.size='lots' is not a whole number"));
        assertTrue(validate("leak.check", "yes").refusal().contains("leak.check='yes' must be true or false"));
        assertTrue(validate("pool.packets", 4_000_000, "pool.buffer.size", 65536).refusal()
                .contains("MiB of direct memory"));
    }

    @Test
    void everyProblemIsListedInTheOneLine() {
        String line = validate("hold.grace.ms", -1, "required.stages", List.of("sideways:crypto", "Not A Name"))
                .refusal();
        assertTrue(line.contains("hold.grace.ms='-1'"), line);
        assertTrue(line.contains("required.stages='sideways:crypto' has direction 'sideways'"), line);
        assertTrue(line.contains("required.stages='Not A Name' names no stage"), line);
    }
}
