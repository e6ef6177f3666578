package org.tunnelbus.handshake.internal;

import org.tunnelbus.testsupport.TestSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
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

class HandshakeTest {
    static final String STOCK_CLIENT_CIPHERS = "AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305";

    final Map<Prefix, Session> routed = new HashMap<>();
    final List<Session> live = new ArrayList<>();

    @Test
    void stockClientGetsAStockShapedPush() throws Exception {
        PushHandshake h = handshake(config("10.8.0.0/24", "AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305"));
        Session alice = new TestSession("alice");
        List<String> push = h.serve(alice, peer("alice", Map.of("IV_CIPHERS", STOCK_CLIENT_CIPHERS)));
        assertEquals(List.of("route-gateway 10.8.0.1", "topology subnet", "ping 10", "ping-restart 120",
                "ifconfig 10.8.0.2 255.255.255.0", "cipher AES-256-GCM"), push);
        TunnelConfig tc = alice.get(TunnelConfig.KEY);
        assertEquals("10.8.0.2/24", tc.address());
        assertEquals("AES-256-GCM", tc.cipher());
        assertEquals(alice, routed.get(Prefix.parse("10.8.0.2/32")));
        assertEquals(STOCK_CLIENT_CIPHERS, alice.get(PeerOptions.KEY).peerInfo().get("IV_CIPHERS"),
                "what the client said stays in the session, for management");
    }

    @Test
    void serverPreferenceOrderWinsAmongClientCiphers() throws Exception {
        PushHandshake h = handshake(config("10.8.0.0/24", "CHACHA20-POLY1305:AES-128-GCM"));
        List<String> push = h.serve(new TestSession("a"), peer("a", Map.of("IV_CIPHERS", "AES-128-GCM:CHACHA20-POLY1305")));
        assertTrue(push.contains("cipher CHACHA20-POLY1305"), push.toString());
    }

    @Test
    void olderClientsNegotiateThroughIvNcpOrTheOptionsString() {
        assertEquals("AES-256-GCM", CipherNegotiation.choose(List.of("AES-256-GCM"), Map.of("IV_NCP", "2"), ""));
        assertEquals("AES-128-GCM", CipherNegotiation.choose(List.of("AES-128-GCM"), Map.of(),
                "V4,dev-type tun,cipher AES-128-GCM,auth SHA1"));
        assertNull(CipherNegotiation.choose(List.of("AES-256-GCM"), Map.of("IV_CIPHERS", "BF-CBC"), ""));
    }

    @Test
    void noCommonCipherIsRefusedWithBothLists() {
        PushHandshake h = handshake(config("10.8.0.0/24", "AES-256-GCM"));
        HandshakeRefusedException e = assertThrows(HandshakeRefusedException.class,
                () -> h.serve(new TestSession("a"), peer("a", Map.of("IV_CIPHERS", "CHACHA20-POLY1305"))));
        assertTrue(e.getMessage().contains("CHACHA20-POLY1305") && e.getMessage().contains("AES-256-GCM"), e.getMessage());
    }

    @Test
    void poolHandsOutDistinctAddressesAndRunsOut() throws Exception {
        PushHandshake h = handshake(config("10.9.0.0/29", "AES-256-GCM"));
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Session s = new TestSession("c" + i);
            h.serve(s, peer("c" + i, Map.of("IV_CIPHERS", "AES-256-GCM")));
            got.add(s.get(TunnelConfig.KEY).address());
        }
        assertEquals(List.of("10.9.0.2/29", "10.9.0.3/29", "10.9.0.4/29", "10.9.0.5/29", "10.9.0.6/29"), got);
        HandshakeRefusedException e = assertThrows(HandshakeRefusedException.class,
                () -> h.serve(new TestSession("x"), peer("x", Map.of("IV_CIPHERS", "AES-256-GCM"))));
        assertTrue(e.getMessage().contains("exhausted"));
    }

    @Test
    void closedSessionReturnsItsAddressAndAReconnectGetsTheSameOne() throws Exception {
        PushHandshake h = handshake(config("10.8.0.0/24", "AES-256-GCM"));
        Session a = new TestSession("alice");
        h.serve(a, peer("alice", Map.of("IV_CIPHERS", "AES-256-GCM")));
        Session b = new TestSession("bob");
        h.serve(b, peer("bob", Map.of("IV_CIPHERS", "AES-256-GCM")));
        h.closed(a, "test");
        Session a2 = new TestSession("alice");
        h.serve(a2, peer("alice", Map.of("IV_CIPHERS", "AES-256-GCM")));
        assertEquals("10.8.0.2/24", a2.get(TunnelConfig.KEY).address());
    }

    @Test
    void restartedModuleKeepsAddressesOfLiveSessions() throws Exception {
        Session a = new TestSession("alice");
        a.set(TunnelConfig.KEY, new TunnelConfig("10.8.0.2/24", "10.8.0.1", "subnet", "AES-256-GCM", 10, 120,
                List.of(), List.of()));
        live.add(a);
        PushHandshake h = handshake(config("10.8.0.0/24", "AES-256-GCM"));
        Session b = new TestSession("bob");
        h.serve(b, peer("bob", Map.of("IV_CIPHERS", "AES-256-GCM")));
        assertEquals("10.8.0.3/24", b.get(TunnelConfig.KEY).address());
    }

    @Test
    void invalidSettingsNameTheProperty() {
        assertMessage("server", () -> PushSettings.from(config("10.8.0.0/30", "AES-256-GCM")));
        assertMessage("server", () -> PushSettings.from(config("fd00::/64", "AES-256-GCM")));
        assertMessage("server", () -> PushSettings.from(config("vpn.example.com/24", "AES-256-GCM")));
        assertMessage("data.ciphers", () -> PushSettings.from(config("10.8.0.0/24", "BF-CBC")));
        assertMessage("push", () -> PushSettings.from(config("10.8.0.0/24", "AES-256-GCM", "route 1.2.3.0 \u00e9vil")));
    }

    @Test
    void aCommaSeparatedPushValueIsSeveralOptions() { // what a plain .cfg line "push = a, b" delivers
        PushSettings s = PushSettings.from(config("10.8.0.0/24", "AES-256-GCM",
                "route 192.168.1.0 255.255.255.0, dhcp-option DNS 10.8.0.1", "route 10.9.0.0 255.255.0.0"));
        assertEquals(List.of("route 192.168.1.0 255.255.255.0", "dhcp-option DNS 10.8.0.1", "route 10.9.0.0 255.255.0.0"),
                s.push());
    }

    @Test
    void badReconfigurationKeepsThePreviousSettings() throws Exception {
        PushHandshake h = handshake(config("10.8.0.0/24", "AES-256-GCM"));
        h.modified(config("10.8.0.0/24", "RC4"), Map.of("felix.fileinstall.filename", "file:/x/org.tunnelbus.handshake.cfg"));
        List<String> push = h.serve(new TestSession("a"), peer("a", Map.of("IV_CIPHERS", "AES-256-GCM")));
        assertTrue(push.contains("cipher AES-256-GCM"));
    }

    @Test
    void clientParsesTheCapturedStockPushReply() throws Exception {
        String reply = "route-gateway 10.8.0.1,topology subnet,ping 2,ping-restart 10,ifconfig 10.8.0.2 255.255.255.0,"
                + "peer-id 0,cipher AES-256-GCM,protocol-flags cc-exit tls-ekm dyn-tls-crypt,tun-mtu 1500,"
                + "route 192.168.7.0 255.255.255.0";
        Session s = new TestSession("client");
        handshake(config("10.8.0.0/24", "AES-256-GCM")).apply(s, List.of(reply.split(",")));
        TunnelConfig tc = s.get(TunnelConfig.KEY);
        assertEquals("10.8.0.2/24", tc.address());
        assertEquals("10.8.0.1", tc.gateway());
        assertEquals("subnet", tc.topology());
        assertEquals("AES-256-GCM", tc.cipher());
        assertEquals(2, tc.ping());
        assertEquals(10, tc.pingRestart());
        assertEquals(List.of(Prefix.parse("192.168.7.0/24")), tc.routes());
        assertThrows(HandshakeRefusedException.class, () -> PushedOptions.parse(List.of("ifconfig 10.8.0.2 255.0.255.0")));
    }

    private static void assertMessage(String property, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains("'" + property + "'"), e.getMessage());
    }

    private PushHandshake handshake(PushConfig c) {
        return new PushHandshake(new MapRoutes(), new ListRegistry(), c, Map.of());
    }

    private static PeerOptions peer(String identity, Map<String, String> info) {
        return new PeerOptions("V4,dev-type tun,link-mtu 1541,tun-mtu 1500,proto UDPv4,auth SHA1,keysize 128,key-method 2,tls-client",
                info, identity);
    }

    static PushConfig config(String server, String ciphers, String... push) {
        return new PushConfig() {
            @Override public Class<? extends Annotation> annotationType() { return PushConfig.class; }
            @Override public String server() { return server; }
            @Override public String topology() { return "subnet"; }
            @Override public String data_ciphers() { return ciphers; }
            @Override public int keepalive_ping() { return 10; }
            @Override public int keepalive_restart() { return 120; }
            @Override public String[] push() { return push; }
        };
    }

    final class MapRoutes implements RouteTable {
        @Override public void add(Prefix prefix, Session session) { routed.put(prefix, session); }
        @Override public void removeAll(Session session) { routed.values().removeIf(s -> s == session); }
        @Override public Session lookup4(int address) { return null; }
        @Override public Session lookup6(long hi, long lo) { return null; }
        @Override public Collection<Prefix> routes(Session session) { return List.of(); }
    }

    final class ListRegistry implements SessionRegistry {
        @Override public Session open(InetSocketAddress remote) { throw new UnsupportedOperationException(); }
        @Override public Session byPeerId(int peerId) { return null; }
        @Override public Session byId(long id) { return null; }
        @Override public Collection<Session> sessions() { return live; }
        @Override public void close(Session session, String reason) { }
    }

    @Test
    void netmaskMatchesPrefixLength() {
        assertEquals("255.255.255.248", new AddressPool(Prefix.parse("10.9.0.0/29")).netmask());
        assertEquals(InetAddress.getLoopbackAddress().getClass(), new AddressPool(Prefix.parse("10.9.0.0/29")).server().getClass());
    }
}
