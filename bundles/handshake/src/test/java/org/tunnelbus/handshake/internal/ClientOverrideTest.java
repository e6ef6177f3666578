package org.tunnelbus.handshake.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.handshake.HandshakeRefusedException;
import org.tunnelbus.api.handshake.PeerOptions;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.route.Prefix;
import org.tunnelbus.api.route.RouteTable;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.testsupport.TestSession;

class ClientOverrideTest {
    private final Map<Prefix, Session> routed = new HashMap<>();
    private final PushHandshake handshake = new PushHandshake(new Routes(routed), new NoSessions(),
            HandshakeTest.config("10.8.0.0/24", "AES-256-GCM", "route 192.168.1.0 255.255.255.0"), Map.of());

    @Test
    void aFixedAddressExtraPushAndIrouteApplyToThatClientOnly() throws Exception {
        handshake.bindOverride(entry("carol", "10.8.0.50", new String[] { "route 10.20.0.0 255.255.0.0" }, false,
                new String[] { "192.168.50.0 255.255.255.0" }, false));
        TestSession carol = new TestSession("carol");
        List<String> push = handshake.serve(carol, peer("carol"));
        assertTrue(push.contains("ifconfig 10.8.0.50 255.255.255.0"), push.toString());
        assertTrue(push.contains("route 192.168.1.0 255.255.255.0"), "global push kept: " + push);
        assertTrue(push.indexOf("route 10.20.0.0 255.255.0.0") > push.indexOf("route 192.168.1.0 255.255.255.0"), push.toString());
        assertEquals("10.8.0.50/24", carol.get(TunnelConfig.KEY).address());
        assertSame(carol, routed.get(Prefix.parse("192.168.50.0/24")));
        assertSame(carol, routed.get(Prefix.parse("10.8.0.50")));

        List<String> other = handshake.serve(new TestSession("dave"), peer("dave"));
        assertTrue(other.contains("ifconfig 10.8.0.2 255.255.255.0"), other.toString());
        assertTrue(!other.contains("route 10.20.0.0 255.255.0.0"), other.toString());
    }

    @Test
    void aReservedFixedAddressIsNotHandedToOthers() throws Exception {
        handshake.bindOverride(entry("carol", "10.8.0.2", new String[0], false, new String[0], false));
        List<String> dave = handshake.serve(new TestSession("dave"), peer("dave"));
        assertTrue(dave.contains("ifconfig 10.8.0.3 255.255.255.0"), dave.toString());
        List<String> carol = handshake.serve(new TestSession("carol"), peer("carol"));
        assertTrue(carol.contains("ifconfig 10.8.0.2 255.255.255.0"), carol.toString());
        HandshakeRefusedException twice = assertThrows(HandshakeRefusedException.class,
                () -> handshake.serve(new TestSession("carol"), peer("carol")));
        assertTrue(twice.getMessage().contains("in use"), twice.getMessage());
    }

    @Test
    void pushResetDisableAndAnAddressOutsideTheTunnel() throws Exception {
        handshake.bindOverride(entry("erin", "", new String[] { "dhcp-option DNS 10.8.0.1" }, true, new String[0], false));
        List<String> erin = handshake.serve(new TestSession("erin"), peer("erin"));
        assertTrue(erin.contains("dhcp-option DNS 10.8.0.1") && !erin.contains("route 192.168.1.0 255.255.255.0"), erin.toString());

        handshake.bindOverride(entry("mallory", "", new String[0], false, new String[0], true));
        assertTrue(assertThrows(HandshakeRefusedException.class, () -> handshake.serve(new TestSession("mallory"), peer("mallory")))
                .getMessage().contains("disabled"));

        handshake.bindOverride(entry("far", "10.9.0.5", new String[0], false, new String[0], false));
        assertTrue(assertThrows(HandshakeRefusedException.class, () -> handshake.serve(new TestSession("far"), peer("far")))
                .getMessage().contains("not a client address"));
    }

    @Test
    void anEditReplacesTheEntryAndTheNextConnectSeesIt() throws Exception {
        ClientOverrideEntry first = entry("carol", "10.8.0.50", new String[0], false, new String[0], false);
        handshake.bindOverride(first);
        handshake.unbindOverride(first);
        handshake.bindOverride(entry("carol", "10.8.0.60", new String[0], false, new String[0], false));
        assertTrue(handshake.serve(new TestSession("carol"), peer("carol")).contains("ifconfig 10.8.0.60 255.255.255.0"));
    }

    @Test
    void invalidConfigurationsNameThePropertyAndOfferNothing() {
        assertNull(entry("", "", new String[0], false, new String[0], false).override());
        assertNull(entry("x", "10.8.0.0/24", new String[0], false, new String[0], false).override());
        assertNull(entry("x", "", new String[0], false, new String[] { "192.168.50.0 255.0.255.0" }, false).override());
        assertThrows(IllegalArgumentException.class, () -> ClientOverride.from(config("x", "", new String[] { "route \u00e9" },
                false, new String[0], false)));
        assertEquals(List.of(Prefix.parse("192.168.50.0/24"), Prefix.parse("10.1.0.0/16")), ClientOverride.from(config("x", "",
                new String[0], false, new String[] { "192.168.50.0 255.255.255.0, 10.1.0.0/16" }, false)).iroutes());
    }

    static ClientOverrideEntry entry(String name, String address, String[] push, boolean reset, String[] iroute,
            boolean disable) {
        return new ClientOverrideEntry(config(name, address, push, reset, iroute, disable), Map.of("service.pid", "test"));
    }

    private static ClientOverrideConfig config(String name, String address, String[] push, boolean reset, String[] iroute,
            boolean disable) {
        return new ClientOverrideConfig() {
            @Override public Class<? extends Annotation> annotationType() { return ClientOverrideConfig.class; }
            @Override public String name() { return name; }
            @Override public String address() { return address; }
            @Override public String[] push() { return push; }
            @Override public boolean push_reset() { return reset; }
            @Override public String[] iroute() { return iroute; }
            @Override public boolean disable() { return disable; }
        };
    }

    static PeerOptions peer(String identity) {
        return new PeerOptions("V4,dev-type tun,tls-client", Map.of("IV_CIPHERS", "AES-256-GCM"), identity);
    }

    static final class Routes implements RouteTable {
        final Map<Prefix, Session> routed;

        Routes(Map<Prefix, Session> routed) {
            this.routed = routed;
        }

        @Override public void add(Prefix prefix, Session session) { routed.put(prefix, session); }
        @Override public void removeAll(Session session) { routed.values().removeIf(s -> s == session); }
        @Override public Session lookup4(int address) { return null; }
        @Override public Session lookup6(long hi, long lo) { return null; }
        @Override public Collection<Prefix> routes(Session session) {
            return routed.entrySet().stream().filter(e -> e.getValue() == session).map(Map.Entry::getKey).toList();
        }
    }

    static final class NoSessions implements SessionRegistry {
        @Override public Session open(InetSocketAddress remote) { throw new UnsupportedOperationException(); }
        @Override public Session byPeerId(int peerId) { return null; }
        @Override public Session byId(long id) { return null; }
        @Override public Collection<Session> sessions() { return List.of(); }
        @Override public void close(Session session, String reason) { }
    }
}
