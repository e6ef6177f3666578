package org.tunnelbus.openvpn.internal.server;

import org.tunnelbus.openvpn.internal.config.Pem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tunnelbus.api.crypto.DataKeys;
import org.tunnelbus.api.session.PeerControl;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionState;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.handshake.internal.ClientOverrideEntry;
import org.tunnelbus.openvpn.internal.keys.StaticKeyFile;
import org.tunnelbus.openvpn.internal.tlswrap.TlsCryptWrapper;

/**
 * The listener and control sessions against a Java client made of the protocol classes ({@link FakeClient}),
 * over real UDP on loopback: push with and without PUSH_REQUEST, tls-ekm and PRF keys, data both ways,
 * renegotiation through a key-id wrap, refusals, hand-window, garbage, reconnects.
 */
class ServerListenerTest {
    private static final String PEER_INFO_26 = "IV_VER=2.6.14\nIV_PLAT=linux\nIV_PROTO=990\n"
            + "IV_CIPHERS=AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\nIV_NCP=2\n";
    private static final String PEER_INFO_MINIMAL = "IV_VER=2.5.0\nIV_PLAT=linux\nIV_PROTO=2\nIV_NCP=2\n";

    private Path dir;
    private ServerHarness server;
    private FakeClient client;

    private void start(Map<String, Object> listener) throws Exception {
        dir = Files.createTempDirectory("tb-ovpn-unit-");
        server = new ServerHarness(dir, listener, Map.of());
    }

    private FakeClient client(String peerInfo) throws Exception {
        return client(peerInfo, 0);
    }

    private FakeClient client(String peerInfo, int localPort) throws Exception {
        return new FakeClient(server.address(),
                TlsCryptWrapper.forClient(StaticKeyFile.parse(Files.readString(server.staticKey))), server.bouncycastle,
                Pem.certificates(Files.readString(server.ca)).get(0), Pem.certificates(Files.readString(server.clientCert)),
                Pem.privateKey(Files.readString(server.clientKey)), peerInfo, localPort);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.close();
            }
        } finally {
            ServerHarness.delete(dir);
        }
    }

    private Session onlySession() {
        Collection<Session> all = server.registry.sessions();
        assertEquals(1, all.size(), all.toString());
        return all.iterator().next();
    }

    /** An ICMP echo request from 10.8.0.2 to 10.8.0.1; the harness's device answers it. */
    private static byte[] echoRequest(int seq) {
        ByteBuffer b = ByteBuffer.allocate(28 + 8);
        b.put(0, (byte) 0x45).putShort(2, (short) 36).put(8, (byte) 64).put(9, (byte) 1);
        b.put(12, new byte[] {10, 8, 0, 2}).put(16, new byte[] {10, 8, 0, 1});
        b.put(20, (byte) 8).putShort(26, (short) seq);
        return b.array();
    }

    private void assertEcho(int seq) throws Exception {
        int before = client.dataReceived.size();
        client.sendData(echoRequest(seq));
        assertTrue(client.until(() -> client.dataReceived.size() > before, 5000), "no echo reply for " + seq);
        byte[] reply = client.dataReceived.get(client.dataReceived.size() - 1);
        assertEquals(0, reply[20], "ICMP echo reply");
        assertEquals(seq, ByteBuffer.wrap(reply).getShort(26));
    }

    /** Issue 5: a p2p peer never sends PUSH_REQUEST; its data channel is up once the keys are exchanged. */
    @Test
    void agreementModePeerGetsItsDataChannelWithoutPush() throws Exception {
        start(Map.of("handshake.mode", "agreement"));
        client = client("IV_VER=2.6.14\nIV_PROTO=" + (2 | 8 | 32 | 128) + "\nIV_CIPHERS=AES-128-GCM:AES-256-GCM\n");
        client.p2p = true;
        client.connect();
        assertTrue(client.until(() -> client.dataKey != null && server.registry.sessions().stream()
                .anyMatch(s -> s.state() == SessionState.ACTIVE), 15000), "not up; messages " + client.messages);
        // what a stock p2p TLS server announces: NCP_P2P and TLS_KEY_EXPORT (no DATA_V2), and its data ciphers
        assertEquals("40", client.serverPeerInfo.get("IV_PROTO"));
        assertEquals("AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305", client.serverPeerInfo.get("IV_CIPHERS"));
        assertTrue(client.ekm);
        assertEcho(1); // the server's preference AES-256-GCM, tls-ekm keys, P_DATA_V1: both sides agree
        assertEquals(List.of(), client.messages, "nothing is pushed");
        Session s = onlySession();
        assertEquals("10.8.0.2/32", s.get(TunnelConfig.KEY).address());
        assertEquals("AES-256-GCM", s.get(TunnelConfig.KEY).cipher());
    }

    @Test
    void requestPushClientGetsPushAtOnceWithTlsEkmAndData() throws Exception {
        start(Map.of());
        client = client(PEER_INFO_26);
        client.connect();
        assertTrue(client.until(() -> client.push != null, 15000), "no PUSH_REPLY; messages " + client.messages);
        assertFalse(client.messages.stream().anyMatch(m -> m.startsWith("AUTH_FAILED")));
        assertTrue(client.ekm, "tls-ekm pushed to an IV_PROTO bit 3 client: " + client.push);
        assertTrue(client.push.options().stream().anyMatch(o -> o.line().equals("protocol-flags cc-exit tls-ekm")));
        assertEquals(0, client.peerId);
        Session s = onlySession();
        assertEquals(SessionState.ACTIVE, s.state());
        assertEquals("client1", s.name());
        assertEcho(1);
        assertEcho(2);
        assertTrue(client.until(() -> client.pingsReceived >= 1, 3000), "server keepalive ping");
    }

    @Test
    void minimalClientAsksWithPushRequestAndGetsPrfKeys() throws Exception {
        start(Map.of());
        client = client(PEER_INFO_MINIMAL);
        client.connect();
        assertTrue(client.until(() -> client.serverKeyMethodRead, 15000));
        assertFalse(client.until(() -> client.push != null, 1500), "no push without PUSH_REQUEST (no IV_PROTO bit 2)");
        client.send("PUSH_REQUEST");
        assertTrue(client.until(() -> client.push != null, 5000));
        assertFalse(client.ekm, "no tls-ekm for a client without IV_PROTO bit 3");
        assertFalse(client.push.options().stream().anyMatch(o -> o.name().equals("protocol-flags")));
        assertEcho(7);
        int pushes = client.messages.size();
        client.send("PUSH_REQUEST");
        client.until(() -> false, 700);
        assertEquals(pushes, client.messages.size(), "a repeated PUSH_REQUEST within 30 s is ignored");
    }

    @Test
    void renegotiationsThroughTheKeyIdWrapKeepData() throws Exception {
        start(Map.of());
        client = client(PEER_INFO_26);
        client.connect();
        assertTrue(client.until(() -> client.push != null, 15000));
        assertEcho(0);
        for (int i = 1; i <= 8; i++) {
            client.softReset();
            int expected = i <= 7 ? i : 1;
            assertEquals(expected, client.keyId);
            assertTrue(client.until(() -> client.dataKey != null && client.dataKey.keyId() == expected
                    && onlySession().get(DataKeys.KEY).send().keyId() == expected, 15000),
                    "renegotiation to key id " + expected);
            assertEcho(100 + i);
        }
        assertEquals(1, server.registry.sessions().size());
    }

    /** Issue 5: a per-client route added live reaches a connected 2.7-style client as a PUSH_UPDATE. */
    @Test
    void aClientThatTakesPushUpdateGetsAPerClientRouteWhileConnected() throws Exception {
        start(Map.of());
        client = client(PEER_INFO_26.replace("IV_PROTO=990", "IV_PROTO=" + (990 | 4096)));
        client.connect();
        assertTrue(client.until(() -> client.push != null, 15000), "no PUSH_REPLY; messages " + client.messages);
        ClientOverrideEntry route = server.override("client1", Map.of("push", new String[] {"route 10.60.0.0 255.255.255.0"}));
        assertTrue(client.until(() -> client.messages.contains("PUSH_UPDATE,route 10.60.0.0 255.255.255.0"), 5000),
                "messages " + client.messages);
        server.handshake.unbindOverride(route);
        assertTrue(client.until(() -> client.messages.contains("PUSH_UPDATE,-route"), 5000), "messages " + client.messages);
        assertEquals(SessionState.ACTIVE, onlySession().state(), "no reconnect");
        assertEcho(3);
    }

    /** A 2.6 client cannot take new options while connected: it is told to reconnect after its next renegotiation. */
    @Test
    void aClientWithoutPushUpdateReconnectsAfterItsNextRenegotiation() throws Exception {
        start(Map.of());
        client = client(PEER_INFO_26);
        client.connect();
        assertTrue(client.until(() -> client.push != null, 15000), "no PUSH_REPLY; messages " + client.messages);
        server.override("client1", Map.of("push", new String[] {"route 10.60.0.0 255.255.255.0"}));
        assertFalse(client.until(() -> client.messages.stream().anyMatch(m -> m.startsWith("RESTART")), 2500),
                "not before its renegotiation: " + client.messages);
        assertEcho(4);
        client.softReset();
        assertTrue(client.until(() -> client.messages.contains("RESTART"), 10000), "messages " + client.messages);
        assertFalse(client.messages.stream().anyMatch(m -> m.startsWith("PUSH_UPDATE")), client.messages.toString());
        assertTrue(client.until(() -> server.registry.sessions().isEmpty(), 5000), "the old session ends");
    }

    @Test
    void aClientDisabledLiveIsToldToReconnectAtOnce() throws Exception {
        start(Map.of());
        client = client(PEER_INFO_26);
        client.connect();
        assertTrue(client.until(() -> client.push != null, 15000), "no PUSH_REPLY; messages " + client.messages);
        server.override("client1", Map.of("disable", true));
        assertTrue(client.until(() -> client.messages.contains("RESTART"), 5000), "messages " + client.messages);
        assertTrue(client.until(() -> server.registry.sessions().isEmpty(), 5000), "its session ends");
    }

    /**
     * Password hashing is slow by design: a login that takes seconds to check (a slow authenticator here) must not
     * hold up the control channel of the clients that are connected already (here a renegotiation), because
     * authentication runs off the control thread.
     */
    @Test
    void aSlowLoginDoesNotStallTheControlChannelOfConnectedClients() throws Exception {
        start(Map.of("duplicate.cn", true)); // both clients log in with the harness's one certificate, at once
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch checking = new java.util.concurrent.CountDownLatch(1);
        server.listener.bindAuthenticator(credentials -> {
            if ("slow".equals(credentials.peerInfo().get("IV_GUI_VER"))) { // only the second client's logins
                checking.countDown();
                try {
                    release.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return org.tunnelbus.api.auth.AuthResult.accept("");
        }, Map.of(org.tunnelbus.api.auth.Authenticator.SCHEME, "slow"));
        client = client(PEER_INFO_26);
        client.connect();
        assertTrue(client.until(() -> client.push != null, 15000), "first client up; messages " + client.messages);

        try (FakeClient second = client(PEER_INFO_26 + "IV_GUI_VER=slow\n")) {
            second.connect();
            // our key method 2 follows the verdict (as stock), so the authenticator itself says it is at work
            assertTrue(second.until(() -> checking.getCount() == 0, 15000), "the second login is being checked");
            client.softReset();
            assertTrue(client.until(() -> client.dataKey != null && client.dataKey.keyId() == 1
                    && onlySessionNamed().get(DataKeys.KEY).send().keyId() == 1, 5000),
                    "the first client renegotiates while the second login waits for its verdict");
            assertEcho(200);
            assertTrue(second.push == null, "the second client is still waiting");
            release.countDown();
            assertTrue(second.until(() -> second.push != null, 10000), "then it is up; messages " + second.messages);
        }
    }

    /** The first client's session (the one whose renegotiation the test drives). */
    private Session onlySessionNamed() {
        return server.registry.sessions().stream().filter(s -> s.get(DataKeys.KEY) != null)
                .min(java.util.Comparator.comparingLong(Session::id)).orElseThrow();
    }

    @Test
    void missingRequiredSchemeIsRefusedWithAuthFailed() throws Exception {
        start(Map.of("auth.required", new String[] {"cert", "userpass"}));
        client = client(PEER_INFO_26);
        client.connect();
        assertTrue(client.until(() -> client.messages.contains("AUTH_FAILED"), 15000), "messages " + client.messages);
        assertNull(client.push);
        assertTrue(client.until(() -> server.registry.sessions().isEmpty(), 5000), "refused session closed");
    }

    @Test
    void noTlsProviderRefusesNewSessions() throws Exception {
        start(Map.of("tls.provider", "nonexistent"));
        client = client(PEER_INFO_26);
        client.connect();
        client.until(() -> false, 1500);
        assertTrue(server.registry.sessions().isEmpty());
        assertNull(client.push);
    }

    @Test
    void handWindowEndsAStalledHandshake() throws Exception {
        start(Map.of("hand.window", 5));
        client = client(PEER_INFO_26);
        client.connect();
        assertTrue(client.until(() -> !server.registry.sessions().isEmpty(), 5000), "session after the cookie ACK");
        // the client goes silent before its TLS handshake completes
        long end = System.currentTimeMillis() + 9000;
        while (!server.registry.sessions().isEmpty() && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        assertTrue(server.registry.sessions().isEmpty(), "hand-window expired");
    }

    @Test
    void garbageIsCountedAndNeverStopsTheServer() throws Exception {
        start(Map.of());
        client = client(PEER_INFO_26);
        SecureRandom r = new SecureRandom();
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[r.nextInt(80)];
            r.nextBytes(b);
            if (b.length > 0 && i % 3 == 0) {
                b[0] = (byte) (0x38 | r.nextInt(8)); // hard resets with bad wrapping
            }
            client.sendRaw(b);
        }
        client.sendRaw(new byte[] {0x48, 0, 0, 9, 1, 2, 3, 4}); // data for an unknown peer-id
        client.connect();
        assertTrue(client.until(() -> client.push != null, 15000), "a client still connects after garbage");
        Map<String, Long> c = server.listener.counters();
        assertTrue(c.getOrDefault("drop.authentication-failed", 0L) + c.getOrDefault("drop.too-short", 0L) > 0, c.toString());
        assertTrue(server.bus.counters().getOrDefault("incoming.openvpn-decap.drop.unknown-peer-id", 0L) >= 1);
        assertEquals(0L, c.getOrDefault("drop.control-error", 0L), c.toString());
    }

    @Test
    void aNewSessionFromTheSameAddressReplacesTheOldOne() throws Exception {
        start(Map.of());
        client = client(PEER_INFO_26);
        client.connect();
        assertTrue(client.until(() -> client.push != null, 15000));
        Session first = onlySession();
        int port = client.localAddress().getPort();
        client.close();
        client = client(PEER_INFO_26, port);
        client.connect();
        assertTrue(client.until(() -> client.push != null, 15000));
        Session second = onlySession();
        assertEquals(SessionState.CLOSED, first.state());
        assertTrue(second != first);
        assertEcho(3);
    }

    /** Management and the web console end a session through the api's PeerControl: the client is told first. */
    @Test
    void anOperatorsDisconnectTellsTheClientHaltBeforeTheSessionEnds() throws Exception {
        start(Map.of());
        client = client(PEER_INFO_26);
        client.connect();
        assertTrue(client.until(() -> client.push != null, 15000), "no PUSH_REPLY; messages " + client.messages);
        Session s = onlySession();
        assertNotNull(s.get(PeerControl.KEY), "the protocol module keeps a PeerControl in each session");
        PeerControl.end(server.registry, s, PeerControl.Notice.HALT, "kicked by the test");
        assertTrue(client.until(() -> client.messages.contains("HALT"), 5000), "messages " + client.messages);
        assertTrue(client.until(() -> server.registry.sessions().isEmpty(), 5000), "the session ends after the notice");
        assertEquals(SessionState.CLOSED, s.state());
    }

    /** Stock without duplicate-cn: a second connection of one name replaces the first; with it both stay. */
    @Test
    void aSecondConnectionOfOneNameReplacesTheFirstUnlessDuplicateCn() throws Exception {
        start(Map.of());
        client = client(PEER_INFO_26);
        client.connect();
        assertTrue(client.until(() -> client.push != null, 15000));
        Session first = onlySession();
        try (FakeClient second = client(PEER_INFO_26)) {
            second.connect();
            assertTrue(second.until(() -> second.push != null, 15000));
            assertTrue(second.until(() -> first.state() == SessionState.CLOSED, 5000), "the earlier session of the name ends");
            assertEquals(1, server.registry.sessions().size(), server.registry.sessions().toString());
        }
    }

    @Test
    void withDuplicateCnSeveralConnectionsOfOneNameStay() throws Exception {
        start(Map.of("duplicate.cn", true));
        client = client(PEER_INFO_26);
        client.connect();
        assertTrue(client.until(() -> client.push != null, 15000));
        try (FakeClient second = client(PEER_INFO_26)) {
            second.connect();
            assertTrue(second.until(() -> second.push != null, 15000));
            Thread.sleep(500);
            assertEquals(2, server.registry.sessions().size(), server.registry.sessions().toString());
        }
    }

    /** First start: the PKI module may write the CA a moment after the listener reads its configuration. */
    @Test
    void theListenerWaitsForCertificatesThatAppearLater() throws Exception {
        dir = Files.createTempDirectory("tb-ovpn-unit-");
        Path late = dir.resolve("late/ca.crt");
        Thread copier = new Thread(() -> {
            try {
                Thread.sleep(1500);
                for (int i = 0; i < 200 && !Files.exists(dir.resolve("pki/ca.crt")); i++) {
                    Thread.sleep(50);
                }
                Files.createDirectories(late.getParent());
                Files.copy(dir.resolve("pki/ca.crt"), late);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        copier.start();
        server = new ServerHarness(dir, Map.of("ca", late.toString()), Map.of());
        copier.join();
        client = client(PEER_INFO_26);
        client.connect();
        assertTrue(client.until(() -> client.push != null, 15000));
    }

    @Test
    void aConfigurationErrorKeepsTheLastGoodOne() throws Exception {
        start(Map.of());
        Map<String, Object> bad = new HashMap<>(server.config);
        bad.put("ca", dir.resolve("missing.pem").toString());
        bad.put("reneg.sec", "soon");
        server.listener.modified(bad);
        client = client(PEER_INFO_26);
        client.connect();
        assertTrue(client.until(() -> client.push != null, 15000), "still serving with the previous configuration");
        assertNotNull(onlySession().get(DataKeys.KEY).send());
    }
}
