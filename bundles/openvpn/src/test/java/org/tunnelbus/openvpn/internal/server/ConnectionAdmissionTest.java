package org.tunnelbus.openvpn.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.Test;

class ConnectionAdmissionTest {
    private final ConnectionAdmission admission = new ConnectionAdmission(new SecureRandom());
    private final InetSocketAddress a = new InetSocketAddress("10.0.0.1", 40000);
    private final InetSocketAddress b = new InetSocketAddress("10.0.0.2", 40000);

    @Test
    void aConnectionIsOverdueOnceAfterTheGraceUnlessItClosed() {
        admission.connectionOpened(a, 100);
        admission.connectionOpened(b, 130);
        assertEquals(List.of(), admission.overdue(159, 60));
        assertEquals(List.of(a), admission.overdue(160, 60));
        assertEquals(List.of(), admission.overdue(161, 60), "each connection is reported once");
        admission.connectionClosed(b);
        assertEquals(List.of(), admission.overdue(500, 60), "a closed connection is forgotten");
    }
}
