package org.tunnelbus.route.ip.internal;

import org.tunnelbus.testsupport.TestSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.pipeline.StageInfo;
import org.tunnelbus.api.pipeline.Verdict;
import org.tunnelbus.api.route.Prefix;
import org.tunnelbus.api.session.Session;

class RoutingStagesTest {
    private final IpRouteTable table = new IpRouteTable();
    private final Session alice = new TestSession("alice");
    private final Session bob = new TestSession("bob");
    private final RecordingBus bus = new RecordingBus();

    RoutingStagesTest() {
        table.add(Prefix.parse("10.8.0.2/32"), alice);
        table.add(Prefix.parse("10.8.0.3/32"), bob);
        table.add(Prefix.parse("fd00::2/128"), alice);
    }

    @Test
    void outgoingPicksTheSessionOwningTheDestination() throws Exception {
        OutgoingRoute route = new OutgoingRoute(table);
        Packet p = ipv4("10.8.0.1", "10.8.0.3");
        assertSame(Verdict.PASS, route.process(p));
        assertSame(bob, p.session());
        assertSame(OutgoingRoute.NO_ROUTE, route.process(ipv4("10.8.0.1", "10.8.0.99")));
        Packet v6 = ipv6("fd00::1", "fd00::2");
        assertSame(Verdict.PASS, route.process(v6));
        assertSame(alice, v6.session());
    }

    @Test
    void outgoingDropsGarbageWithoutThrowing() {
        OutgoingRoute route = new OutgoingRoute(table);
        for (int len = 0; len < 64; len++) {
            Packet p = packet(new byte[len]);
            Verdict v = route.process(p);
            assertEquals(true, v.isDrop(), "length " + len);
        }
        byte[] shortV4 = new byte[19];
        shortV4[0] = 0x45;
        assertSame(OutgoingRoute.NOT_IP, route.process(packet(shortV4)));
    }

    @Test
    void incomingGoesToTheDeviceWhenClientToClientIsOff() throws Exception {
        IncomingRoute route = new IncomingRoute(table, bus, config(false, true));
        Packet p = ipv4("10.8.0.2", "10.8.0.3");
        p.session(alice);
        assertSame(Verdict.PASS, route.process(p));
        assertEquals(0, bus.injected.size());
    }

    @Test
    void incomingForwardsToTheOtherSessionWhenClientToClientIsOn() throws Exception {
        IncomingRoute route = new IncomingRoute(table, bus, config(true, true));
        Packet p = ipv4("10.8.0.2", "10.8.0.3");
        p.session(alice);
        assertSame(Verdict.CONSUMED, route.process(p));
        assertEquals(1, bus.injected.size());
        assertSame(bob, bus.injected.get(0).session());
        assertEquals(201, bus.fromOrder);
        Packet toServer = ipv4("10.8.0.2", "10.8.0.1");
        toServer.session(alice);
        assertSame(Verdict.PASS, route.process(toServer));
    }

    @Test
    void spoofedSourceIsDropped() throws Exception {
        IncomingRoute route = new IncomingRoute(table, bus, config(false, true));
        Packet p = ipv4("10.8.0.3", "10.8.0.1");
        p.session(alice);
        assertSame(IncomingRoute.BAD_SOURCE, route.process(p));
        Packet v6 = ipv6("fd00::3", "fd00::1");
        v6.session(alice);
        assertSame(IncomingRoute.BAD_SOURCE, route.process(v6));
        IncomingRoute lax = new IncomingRoute(table, bus, config(false, false));
        Packet q = ipv4("10.8.0.3", "10.8.0.1");
        q.session(alice);
        assertSame(Verdict.PASS, lax.process(q));
    }

    static Packet ipv4(String src, String dst) throws Exception {
        byte[] b = new byte[28];
        b[0] = 0x45;
        System.arraycopy(InetAddress.getByName(src).getAddress(), 0, b, 12, 4);
        System.arraycopy(InetAddress.getByName(dst).getAddress(), 0, b, 16, 4);
        return packet(b);
    }

    static Packet ipv6(String src, String dst) throws Exception {
        byte[] b = new byte[48];
        b[0] = 0x60;
        System.arraycopy(InetAddress.getByName(src).getAddress(), 0, b, 8, 16);
        System.arraycopy(InetAddress.getByName(dst).getAddress(), 0, b, 24, 16);
        return packet(b);
    }

    static Packet packet(byte[] data) {
        Packet p = new Packet(ByteBuffer.allocateDirect(256), 64, x -> { });
        p.put(data, 0, data.length);
        return p;
    }

    static RoutingConfig config(boolean c2c, boolean check) {
        return new RoutingConfig() {
            @Override public Class<? extends Annotation> annotationType() { return RoutingConfig.class; }
            @Override public boolean client_to_client() { return c2c; }
            @Override public boolean check_source() { return check; }
        };
    }

    /** Records what the stage re-injects. */
    static final class RecordingBus implements PacketBus {
        final List<Packet> injected = new ArrayList<>();
        int fromOrder;

        @Override public void submit(Direction d, PacketBatch batch) { }
        @Override public void submit(Direction d, Packet p) { }
        @Override public void inject(Direction d, Packet p, int from) {
            injected.add(p);
            fromOrder = from;
        }
        @Override public PacketAllocator allocator() { return null; }
        @Override public List<StageInfo> chain(Direction d) { return List.of(); }
        @Override public Map<String, Long> counters() { return Map.of(); }
    }

    @Test
    void unusedLookupOfUnknownFamilyIsNull() {
        assertNull(table.lookup6(0, 0));
    }
}
