package org.tunnelbus.openvpn.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DropReasonTest {

    @Test
    void counterNamesAreUniqueKebabCase() {
        Set<String> names = new HashSet<>();
        for (DropReason r : DropReason.values()) {
            assertTrue(r.counterName().matches("[a-z0-9]+(-[a-z0-9]+)*"), r.counterName());
            assertTrue(names.add(r.counterName()));
        }
        assertEquals("too-many-acks", DropReason.TOO_MANY_ACKS.counterName());
    }
}
