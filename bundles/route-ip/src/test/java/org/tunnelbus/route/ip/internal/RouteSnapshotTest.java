package org.tunnelbus.route.ip.internal;

import org.tunnelbus.testsupport.TestSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.route.Prefix;
import org.tunnelbus.api.session.Session;

class RouteSnapshotTest {
    private final IpRouteTable table = new IpRouteTable();
    private final Session alice = new TestSession("alice");
    private final Session bob = new TestSession("bob");

    @Test
    void longestPrefixWins() throws Exception {
        table.add(Prefix.parse("10.8.0.2/32"), alice);
        table.add(Prefix.parse("192.168.10.0/24"), alice);
        table.add(Prefix.parse("192.168.10.128/25"), bob);
        assertSame(alice, table.lookup4(v4("10.8.0.2")));
        assertNull(table.lookup4(v4("10.8.0.3")));
        assertSame(alice, table.lookup4(v4("192.168.10.1")));
        assertSame(bob, table.lookup4(v4("192.168.10.200")));
    }

    @Test
    void hostBitsOfAPrefixAreIgnored() throws Exception {
        table.add(Prefix.parse("192.168.10.77/24"), alice);
        assertSame(alice, table.lookup4(v4("192.168.10.1")));
        assertEquals("192.168.10.0/24", table.routes(alice).iterator().next().toString());
    }

    @Test
    void ipv6RoutesAtSeveralLengths() throws Exception {
        table.add(Prefix.parse("fd00::1000/128"), alice);
        table.add(Prefix.parse("fd00:1::/48"), bob);
        table.add(Prefix.parse("fd00::/16"), bob);
        ByteBuffer a = ByteBuffer.wrap(InetAddress.getByName("fd00::1000").getAddress());
        assertSame(alice, table.lookup6(a.getLong(0), a.getLong(8)));
        ByteBuffer b = ByteBuffer.wrap(InetAddress.getByName("fd00:1:0:5::9").getAddress());
        assertSame(bob, table.lookup6(b.getLong(0), b.getLong(8)));
        ByteBuffer c = ByteBuffer.wrap(InetAddress.getByName("fd01::1").getAddress());
        assertNull(table.lookup6(c.getLong(0), c.getLong(8)));
    }

    @Test
    void closingASessionRemovesItsRoutesOnly() throws Exception {
        table.add(Prefix.parse("10.8.0.2/32"), alice);
        table.add(Prefix.parse("10.8.0.3/32"), bob);
        table.closed(alice, "test");
        assertNull(table.lookup4(v4("10.8.0.2")));
        assertSame(bob, table.lookup4(v4("10.8.0.3")));
    }

    @Test
    void manyHostRoutesStayFindable() throws Exception {
        Session[] sessions = new Session[1000];
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = new TestSession("s" + i);
            table.add(Prefix.parse("10.9." + (i / 250) + "." + (i % 250 + 1) + "/32"), sessions[i]);
        }
        for (int i = 0; i < sessions.length; i++) {
            assertSame(sessions[i], table.lookup4(v4("10.9." + (i / 250) + "." + (i % 250 + 1))));
        }
    }

    static int v4(String a) throws Exception {
        return ByteBuffer.wrap(InetAddress.getByName(a).getAddress()).getInt();
    }
}
