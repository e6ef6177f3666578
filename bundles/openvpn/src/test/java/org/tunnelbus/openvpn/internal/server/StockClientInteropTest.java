package org.tunnelbus.openvpn.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tunnelbus.api.crypto.DataKeys;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionState;
import org.tunnelbus.api.tls.TlsInfo;

/**
 * The stock {@code openvpn} 2.6 client against the server engine, on loopback with {@code --dev null} (no TUN):
 * handshake, PUSH_REPLY, data-channel keepalives both ways, exit notification. Skipped when no openvpn binary
 * is installed, or with {@code -Dtunnelbus.stock=false}.
 */
class StockClientInteropTest {
    private Path dir;
    private ServerHarness server;
    private StockClient client;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisite.require(StockClient.available(), "no openvpn binary (apt-get install openvpn)");
        Prerequisite.stockEnabled();
        dir = Files.createTempDirectory("tb-ovpn-");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                ServerHarness.delete(dir);
            }
        }
    }

    private void start(Map<String, Object> listener, Map<String, Object> push, String... clientExtra) throws Exception {
        server = new ServerHarness(dir, listener, push);
        client = StockClient.start(dir, server.clientConfig(clientExtra), List.of());
    }

    private Session awaitSession() throws InterruptedException {
        return awaitSession(client, "client1");
    }

    private Session awaitSession(StockClient c, String name) throws InterruptedException {
        assertTrue(c.await("Initialization Sequence Completed", Duration.ofSeconds(40)),
                "client did not complete:\n" + c.tail(60));
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            for (Session s : server.registry.sessions()) {
                if (s.state() == SessionState.ACTIVE && s.name().equals(name)) {
                    return s;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no active session; client log:\n" + c.tail(60));
    }

    /** Keepalives: the client's pings are decrypted by us, ours keep it from restarting (pushed ping-restart 5). */
    private void assertKeepalivesBothWays(Session session) throws InterruptedException {
        long pingsBefore = server.open.pings();
        Thread.sleep(7000);
        assertTrue(server.open.pings() - pingsBefore >= 4, "client pings decrypted: " + (server.open.pings() - pingsBefore));
        assertTrue(server.listener.counters().getOrDefault("keepalive.sent", 0L) >= 4, "server pings sent");
        assertFalse(client.log().contains("Inactivity timeout"), "client lost our pings:\n" + client.tail(60));
        assertEquals(SessionState.ACTIVE, session.state());
        assertTrue(client.isAlive());
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305"})
    void tlsCryptEachCipher(String cipher) throws Exception {
        start(Map.of(), Map.of("data.ciphers", cipher), "explicit-exit-notify 1");
        Session session = awaitSession();
        assertEquals(cipher, session.get(TunnelConfig.KEY).cipher());
        assertTrue(client.log().contains("Data Channel: cipher '" + cipher + "'"), client.log());
        TlsInfo tls = session.get(TlsInfo.KEY);
        assertNotNull(tls);
        assertEquals("bouncycastle", tls.provider());
        assertEquals("client1", session.name());
        assertKeepalivesBothWays(session);
        client.stop();
        long end = System.nanoTime() + 5_000_000_000L;
        while (session.state() != SessionState.CLOSED && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertEquals(SessionState.CLOSED, session.state(), "exit notification closes the session");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", ""})
    void tlsAuth(String direction) throws Exception {
        start(Map.of("tls.crypt", "", "tls.auth", "@static", "tls.auth.direction", direction, "auth", "SHA256"), Map.of());
        Session session = awaitSession();
        assertKeepalivesBothWays(session);
        server.close(); // explicit-exit-notify of the server: RESTART
        server = null;
        assertTrue(client.await("server-pushed-connection-reset", Duration.ofSeconds(5)), client.tail(20));
    }

    @Test
    void jsseProviderWithoutExporterUsesThePrf() throws Exception {
        start(Map.of("tls.provider", "jsse"), Map.of());
        Session session = awaitSession();
        assertEquals("jsse", session.get(TlsInfo.KEY).provider());
        assertFalse(client.log().contains("tls-ekm"), "no tls-ekm without an exporter");
        assertKeepalivesBothWays(session);
    }

    @Test
    void clientRenegotiationKeepsDataFlowing() throws Exception {
        start(Map.of(), Map.of(), "reneg-sec 10");
        Session session = awaitSession();
        long pingsBefore = server.open.pings();
        assertTrue(client.await("(?s)Initialization Sequence Completed.*Outgoing Data Channel: Cipher .*"
                + "Outgoing Data Channel: Cipher", Duration.ofSeconds(30)), "no renegotiation:\n" + client.tail(80));
        Thread.sleep(5000);
        assertTrue(session.get(TlsInfo.KEY).keyId() >= 1, "a renegotiated key is in use");
        assertTrue(session.get(DataKeys.KEY).send().keyId() >= 1, "we send with the renegotiated key");
        assertNotNull(session.get(DataKeys.KEY).lameDuck(), "the previous key is kept for receiving");
        assertTrue(server.open.pings() - pingsBefore >= 8, "pings through the renegotiation");
        assertFalse(client.log().contains("Inactivity timeout"), client.tail(60));
        assertEquals(SessionState.ACTIVE, session.state());
    }

    @Test
    void serverRenegotiationAtRenegSec() throws Exception {
        start(Map.of("reneg.sec", 8), Map.of());
        Session session = awaitSession();
        long end = System.nanoTime() + 25_000_000_000L;
        while (session.get(TlsInfo.KEY).keyId() < 1 && System.nanoTime() < end) {
            Thread.sleep(200);
        }
        assertTrue(session.get(TlsInfo.KEY).keyId() >= 1, "the server renegotiated:\n" + client.tail(40));
        assertKeepalivesBothWays(session);
        assertEquals(1, server.registry.sessions().size());
    }

    /** A configuration change of tls.provider applies to the next session; the live one keeps its engine and keys. */
    @Test
    void tlsProviderSwitchAppliesToNewSessionsOnly() throws Exception {
        start(Map.of(), Map.of());
        Session first = awaitSession();
        assertEquals("bouncycastle", first.get(TlsInfo.KEY).provider());
        Map<String, Object> changed = new java.util.HashMap<>(server.config);
        changed.put("tls.provider", "jsse");
        server.listener.modified(changed);
        Path other = Files.createDirectories(dir.resolve("client2"));
        try (StockClient second = StockClient.start(other, server.clientConfigFor("client2"), List.of())) {
            Session s2 = awaitSession(second, "client2");
            assertEquals("jsse", s2.get(TlsInfo.KEY).provider());
            long before = first.bytesIn();
            Thread.sleep(3000);
            assertTrue(first.bytesIn() > before, "the first session keeps receiving");
            assertEquals("bouncycastle", first.get(TlsInfo.KEY).provider());
            assertEquals(SessionState.ACTIVE, first.state());
            assertFalse(client.log().contains("Inactivity timeout"), client.tail(40));
        }
    }
}
