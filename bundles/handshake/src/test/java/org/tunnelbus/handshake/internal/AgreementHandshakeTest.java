package org.tunnelbus.handshake.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.handshake.AgreementOptions;
import org.tunnelbus.api.handshake.HandshakeRefusedException;
import org.tunnelbus.api.handshake.OptionMismatch;
import org.tunnelbus.api.handshake.PeerOptions;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.route.Prefix;
import org.tunnelbus.api.route.RouteTable;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.session.SessionState;
import org.tunnelbus.testsupport.TestSession;

class AgreementHandshakeTest {
    static final String STOCK_CIPHERS = "AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305";
    static final OptionMismatch TUN_MTU = new OptionMismatch("tun-mtu",
            "WARNING: 'tun-mtu' is used inconsistently, local='tun-mtu 1500', remote='tun-mtu 1400'");
    static final OptionMismatch LINK_MTU = new OptionMismatch("link-mtu",
            "WARNING: 'link-mtu' is used inconsistently, local='link-mtu 1549', remote='link-mtu 1449'");

    final Map<Prefix, Session> routed = new HashMap<>();
    final List<Session> live = new ArrayList<>();

    // --- cipher choice, as stock p2p NCP -------------------------------------------------------------------

    @Test
    void theTlsServersPreferenceAmongThePeersCiphersWins() {
        assertEquals("CHACHA20-POLY1305", P2pCipherChoice.choose(List.of("CHACHA20-POLY1305", "AES-256-GCM"),
                Map.of("IV_CIPHERS", STOCK_CIPHERS), null, false));
        assertEquals("AES-128-GCM", P2pCipherChoice.choose(List.of("AES-128-GCM"),
                Map.of("IV_CIPHERS", "AES-256-GCM:AES-128-GCM"), "AES-256-GCM", false));
        // we are the TLS client: the server's list (its IV_CIPHERS) is the one in preference order
        assertEquals("AES-256-GCM", P2pCipherChoice.choose(List.of("CHACHA20-POLY1305", "AES-256-GCM"),
                Map.of("IV_CIPHERS", STOCK_CIPHERS), null, true));
    }

    @Test
    void withoutNegotiationTheConfiguredCipherIsTheFallback() {
        // a peer without IV_CIPHERS (stock before 2.5), or one with no cipher in common
        assertEquals("AES-256-GCM", P2pCipherChoice.choose(List.of("AES-128-GCM"), Map.of(), "AES-256-GCM", false));
        assertEquals("AES-256-GCM", P2pCipherChoice.choose(List.of("AES-128-GCM"), Map.of("IV_CIPHERS", "BF-CBC"), "AES-256-GCM", false));
        // and without --cipher stock has no usable cipher
        assertNull(P2pCipherChoice.choose(List.of("AES-128-GCM"), Map.of("IV_CIPHERS", "BF-CBC"), null, false));
    }

    @Test
    void aPeerWithoutCommonCipherOrFallbackIsRefusedWithBothLists() {
        AgreementHandshake h = handshake(config("10.9.0.1 10.9.0.2", "", false));
        HandshakeRefusedException e = assertThrows(HandshakeRefusedException.class,
                () -> h.serve(new TestSession("peer"), peer("peer", Map.of("IV_CIPHERS", "BF-CBC"))));
        assertTrue(e.getMessage().contains("BF-CBC") && e.getMessage().contains(STOCK_CIPHERS), e.getMessage());
    }

    // --- serving: nothing pushed, fixed addresses ----------------------------------------------------------

    @Test
    void aStockPeerGetsNoPushAndTheConfiguredAddresses() throws Exception {
        AgreementHandshake h = handshake(config("10.9.0.1 10.9.0.2", "", false));
        Session s = new TestSession("peer");
        assertEquals(List.of(), h.serve(s, peer("peer", Map.of("IV_CIPHERS", STOCK_CIPHERS, "IV_PROTO", "990"))));
        TunnelConfig tc = s.get(TunnelConfig.KEY);
        assertEquals("10.9.0.2/32", tc.address());
        assertEquals("10.9.0.1", tc.gateway());
        assertEquals("p2p", tc.topology());
        assertEquals("AES-256-GCM", tc.cipher());
        assertEquals(s, routed.get(Prefix.parse("10.9.0.2")));
        assertEquals(new AgreementOptions("10.9.0.1", "10.9.0.2", null, List.of(STOCK_CIPHERS.split(":"))), h.agreement());
    }

    @Test
    void aSecondPeerIsRefusedWhileTheFirstHoldsTheTunnelAndTheSameOneTakesOver() throws Exception {
        AgreementHandshake h = handshake(config("10.9.0.1 10.9.0.2", "", false));
        Session first = new TestSession("alice");
        h.serve(first, peer("alice", Map.of("IV_CIPHERS", STOCK_CIPHERS)));
        HandshakeRefusedException e = assertThrows(HandshakeRefusedException.class,
                () -> h.serve(new TestSession("bob"), peer("bob", Map.of("IV_CIPHERS", STOCK_CIPHERS))));
        assertTrue(e.getMessage().contains("one peer") && e.getMessage().contains("alice"), e.getMessage());

        Session again = new TestSession("alice"); // alice restarted: her new session takes the route
        h.serve(again, peer("alice", Map.of("IV_CIPHERS", STOCK_CIPHERS)));
        assertEquals(again, routed.get(Prefix.parse("10.9.0.2")));

        h.closed(again, "gone");
        again.state(SessionState.CLOSED);
        h.serve(new TestSession("bob"), peer("bob", Map.of("IV_CIPHERS", STOCK_CIPHERS)));
    }

    // --- options comparison: warnings, or the strict refusal -------------------------------------------------

    @Test
    void differencesAreWarningsByDefault() throws Exception {
        AgreementHandshake h = handshake(config("10.9.0.1 10.9.0.2", "", false));
        Session s = new TestSession("peer");
        h.serve(s, peer("peer", Map.of("IV_CIPHERS", STOCK_CIPHERS), TUN_MTU, LINK_MTU)); // logged, not refused
        assertEquals("AES-256-GCM", s.get(TunnelConfig.KEY).cipher());
    }

    @Test
    void strictRefusesNamingEveryDifferingOptionInOneLine() {
        AgreementHandshake h = handshake(config("10.9.0.1 10.9.0.2", "", true));
        HandshakeRefusedException e = assertThrows(HandshakeRefusedException.class, () -> h.serve(new TestSession("peer"),
                peer("peer", Map.of("IV_CIPHERS", STOCK_CIPHERS), LINK_MTU, TUN_MTU)));
        assertTrue(e.getMessage().startsWith("options differ from ours (org.tunnelbus.handshake.agreement strict = true): "
                + "'link-mtu', 'tun-mtu'; WARNING: 'link-mtu' is used inconsistently"), e.getMessage());
        assertTrue(e.getMessage().contains("remote='tun-mtu 1400'") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void strictLetsAnAlikePeerInAndIgnoresAVersionNote() throws Exception {
        AgreementHandshake h = handshake(config("10.9.0.1 10.9.0.2", "", true));
        h.serve(new TestSession("peer"), peer("peer", Map.of("IV_CIPHERS", STOCK_CIPHERS),
                new OptionMismatch(null, "NOTE: Options consistency check may be skewed by version differences")));
        assertNull(OptionsAgreement.refusal(List.of()));
    }

    // --- configuration ---------------------------------------------------------------------------------------

    @Test
    void badConfigurationNamesTheProperty() {
        assertMessage("ifconfig", () -> AgreementSettings.from(config("10.9.0.1", "", false)));
        assertMessage("ifconfig", () -> AgreementSettings.from(config("10.9.0.1 10.9.0.1", "", false)));
        assertMessage("ifconfig", () -> AgreementSettings.from(config("10.9.0.1 10.9.0.0/24", "", false)));
        assertMessage("cipher", () -> AgreementSettings.from(config("10.9.0.1 10.9.0.2", "BF-CBC", false)));
        assertEquals("AES-128-GCM", AgreementSettings.from(config("10.9.0.1 10.9.0.2", "aes-128-gcm", false)).cipher());
    }

    private static void assertMessage(String property, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains("'" + property + "'"), e.getMessage());
    }

    private AgreementHandshake handshake(AgreementConfig c) {
        return new AgreementHandshake(new MapRoutes(), new ListRegistry(), c);
    }

    private static PeerOptions peer(String identity, Map<String, String> info, OptionMismatch... mismatches) {
        return new PeerOptions("V4,dev-type tun,link-mtu 1549,tun-mtu 1500,proto UDPv4,ifconfig 10.9.0.1 10.9.0.2,"
                + "cipher BF-CBC,auth SHA1,keysize 128,key-method 2,tls-client", info, identity, List.of(mismatches));
    }

    static AgreementConfig config(String ifconfig, String cipher, boolean strict) {
        return new AgreementConfig() {
            @Override public Class<? extends Annotation> annotationType() { return AgreementConfig.class; }
            @Override public String ifconfig() { return ifconfig; }
            @Override public String cipher() { return cipher; }
            @Override public String data_ciphers() { return STOCK_CIPHERS; }
            @Override public boolean strict() { return strict; }
            @Override public int keepalive_ping() { return 10; }
            @Override public int keepalive_restart() { return 60; }
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
}
