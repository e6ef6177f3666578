package org.tunnelbus.openvpn.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RenegotiationTriggerTest {
    @Test
    void secondsBytesAndWrapEachMakeItDue() {
        assertNull(RenegotiationTrigger.due("server", 1000, 2000, 10, 0, false));
        assertEquals("server (reneg-sec)", RenegotiationTrigger.due("server", 2000, 2000, 10, 0, false));
        assertNull(RenegotiationTrigger.due("client", 1000, Long.MAX_VALUE, 4095, 4096, false));
        assertTrue(RenegotiationTrigger.due("client", 1000, Long.MAX_VALUE, 4096, 4096, false).startsWith("client (reneg-bytes 4096"));
        assertEquals("client (packet ids close to wrapping)", RenegotiationTrigger.due("client", 0, Long.MAX_VALUE, 0, 0, true));
    }
}
