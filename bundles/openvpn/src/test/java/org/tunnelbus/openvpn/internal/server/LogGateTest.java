package org.tunnelbus.openvpn.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogGateTest {
    @Test
    void oneLinePerIntervalAndTheNextSaysHowManyWereHeldBack() throws Exception {
        LogGate gate = new LogGate(200);
        assertEquals(0, gate.permit());
        assertEquals(-1, gate.permit());
        assertEquals(-1, gate.permit());
        Thread.sleep(250);
        assertEquals(2, gate.permit());
        assertEquals(-1, gate.permit());
    }
}
