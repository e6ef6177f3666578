package org.tunnelbus.openvpn.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tunnelbus.api.crypto.DataKeys;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.route.Prefix;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.openvpn.internal.channel.ControlChannel;

/**
 * The Tunnelbus client ({@code ClientConnector} + {@code ClientRole}) against the Tunnelbus server engine
 * ({@link ServerHarness}), each with its own bus, over real UDP on loopback: the HMAC-cookie reset exchange,
 * TLS, key method 2, PUSH_REPLY applied, data keys with tls-ekm and with the PRF, ICMP echo through both data
 * paths, renegotiation started by either side, keepalive, EXIT on stop, and reconnection with backoff; over
 * TCP: the same tunnel, stop by closing the connection, and reconnection when the server closes it.
 */
class TunnelbusClientTest {
    private static final int CLIENT_IP = 0x0A080002; // 10.8.0.2, the first address of the server's pool
    private static final int SERVER_IP = 0x0A080001;

    private Path dir;
    private ServerHarness server;
    private ClientHarness client;

    private void start(Map<String, Object> serverConfig, Map<String, Object> clientConfig) throws Exception {
        dir = Files.createTempDirectory("tb-ovpn-client-");
        server = new ServerHarness(dir, serverConfig, Map.of());
        client = new ClientHarness(server, clientConfig);
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

    @Test
    void connectsWithTlsEkmAndPingsThroughBothDataPaths() throws Exception {
        start(Map.of(), Map.of());
        assertTrue(until(client::isUp, 10_000), "client up");
        Session s = client.control().session();
        TunnelConfig config = s.get(TunnelConfig.KEY);
        assertEquals("10.8.0.2/24", config.address());
        assertEquals("10.8.0.1", config.gateway());
        assertEquals(1, config.ping());
        assertEquals(5, config.pingRestart());
        DataKeys keys = s.get(DataKeys.KEY);
        assertEquals("AES-256-GCM", keys.send().cipher());
        assertFalse(keys.send().tlsServer());
        assertNotEquals(-1, keys.send().peerId(), "P_DATA_V2 with the pushed peer-id");
        assertTrue(client.control().toString().contains("127.0.0.1"));
        assertTrue(until(() -> server.listener.controlChannels().stream().anyMatch(ControlChannel::isUp), 5_000));
        assertEchoes(1);
    }

    @Test
    void connectsWithPrfKeysWhenTheProviderHasNoExporter() throws Exception {
        start(Map.of(), Map.of("tls.provider", "jsse", "data.ciphers", "AES-128-GCM"));
        assertTrue(until(client::isUp, 10_000), "client up");
        assertEquals("AES-128-GCM", client.control().session().get(DataKeys.KEY).send().cipher());
        assertEchoes(1);
    }

    @Test
    void followsARenegotiationStartedByEitherSide() throws Exception {
        start(Map.of("reneg.sec", 3), Map.of());
        assertTrue(until(client::isUp, 10_000), "client up");
        Session s = client.control().session();
        // the server renegotiates after reneg-sec (less up to 10 % jitter): key id 1 takes over
        assertTrue(until(() -> s.get(DataKeys.KEY) != null && s.get(DataKeys.KEY).send().keyId() == 1, 10_000),
                "server-started renegotiation to key id 1");
        assertEchoes(2);
        client.connector.renegotiate();
        assertTrue(until(() -> s.get(DataKeys.KEY).send().keyId() == 2, 10_000), "client-started renegotiation");
        assertNotNull(s.get(DataKeys.KEY).lameDuck(), "the previous key stays for receiving");
        assertEchoes(3);
    }

    /** Several servers (stock: several 'remote' lines): a server that does not answer is left for the next one. */
    @Test
    void aServerThatDoesNotAnswerIsLeftForTheNextRemote() throws Exception {
        int dead;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort(); // closed again: nothing answers there
        }
        dir = Files.createTempDirectory("tb-ovpn-client-");
        server = new ServerHarness(dir, Map.of(), Map.of());
        client = new ClientHarness(server, Map.of("remote", new String[] {"127.0.0.1 " + dead, "127.0.0.1 " + server.port()},
                "hand.window", 2, "connect.retry", 1));
        assertTrue(until(client::isUp, 15_000), "up through the second remote");
        assertEquals(server.port(), client.control().session().remote().getPort());
        assertEchoes(6);
    }

    /** Issue 5, agreement model on both sides (stock --tls-client/--tls-server --ifconfig, no --pull): nothing pushed. */
    @Test
    void connectsToAnAgreementPeerWithoutPush() throws Exception {
        start(Map.of("handshake.mode", "agreement"), Map.of("handshake.mode", "agreement",
                "data.ciphers", "CHACHA20-POLY1305:AES-256-GCM"));
        assertTrue(until(client::isUp, 10_000), "client up");
        Session s = client.control().session();
        TunnelConfig config = s.get(TunnelConfig.KEY);
        assertEquals("10.8.0.2/32", config.address());
        assertEquals(java.util.List.of(Prefix.parse("10.8.0.1/32")), config.routes(), "a route to the peer's address");
        assertEquals("AES-256-GCM", s.get(DataKeys.KEY).send().cipher(), "the TLS server's preference among ours");
        assertEquals(-1, s.get(DataKeys.KEY).send().peerId(), "P_DATA_V1, as stock p2p without DATA_V2");
        assertEchoes(5);
    }

    /** Issue 5: a per-client route added live on the server reaches the connected client without a reconnect. */
    @Test
    void takesAPerClientRouteAddedLiveAsAPushUpdate() throws Exception {
        start(Map.of(), Map.of());
        assertTrue(until(client::isUp, 10_000), "client up");
        Session s = client.control().session();
        var route = server.override("client1", Map.of("push", new String[] {"route 10.60.0.0 255.255.255.0"}));
        assertTrue(until(() -> s.get(TunnelConfig.KEY).routes().contains(Prefix.parse("10.60.0.0/24")), 5_000),
                "route pushed by PUSH_UPDATE: " + s.get(TunnelConfig.KEY));
        server.handshake.unbindOverride(route);
        assertTrue(until(() -> s.get(TunnelConfig.KEY).routes().isEmpty(), 5_000), "route removed: " + s.get(TunnelConfig.KEY));
        assertSame(s, client.control().session(), "the same connection throughout");
        assertEchoes(4);
    }

    /** Issue 5: reneg-bytes (stock --reneg-bytes) on the server starts a renegotiation once that much has passed. */
    @Test
    void renegBytesOnTheServerStartsARenegotiation() throws Exception {
        start(Map.of("reneg.sec", 0, "reneg.bytes", 3000), Map.of("reneg.sec", 0));
        assertTrue(until(client::isUp, 10_000), "client up");
        assertEquals(1, echoesUntilKeyId(client.control().session(), 1), "the server renegotiated after 3000 bytes");
    }

    @Test
    void renegBytesOnTheClientStartsARenegotiation() throws Exception {
        start(Map.of("reneg.sec", 0), Map.of("reneg.sec", 0, "reneg.bytes", 3000));
        assertTrue(until(client::isUp, 10_000), "client up");
        assertEquals(1, echoesUntilKeyId(client.control().session(), 1),
                "the client renegotiated after 3000 bytes (the server has no limit)");
    }

    /** Sends echoes (about 120 bytes of traffic each) until the sending key has {@code keyId}; returns it. */
    private int echoesUntilKeyId(Session s, int keyId) throws Exception {
        for (int i = 0; i < 200 && s.get(DataKeys.KEY).send().keyId() != keyId; i++) {
            assertEchoes(1000 + i);
        }
        until(() -> s.get(DataKeys.KEY).send().keyId() == keyId, 5_000);
        assertTrue(s.bytesIn() + s.bytesOut() >= 3000, "traffic " + (s.bytesIn() + s.bytesOut()));
        return s.get(DataKeys.KEY).send().keyId();
    }

    @Test
    void keepalivePingsReachTheServer() throws Exception {
        start(Map.of(), Map.of());
        assertTrue(until(client::isUp, 10_000));
        long before = server.open.pings();
        assertTrue(until(() -> server.open.pings() > before + 1, 5_000), "pushed ping 1 s: pings arrive");
    }

    @Test
    void stopSendsExitAndTheServerDropsTheSession() throws Exception {
        start(Map.of(), Map.of());
        assertTrue(until(client::isUp, 10_000));
        assertTrue(until(() -> server.listener.controlChannels().stream().anyMatch(ControlChannel::isUp), 5_000));
        client.close();
        client = null;
        assertTrue(until(() -> server.listener.controlChannels().isEmpty(), 5_000), "EXIT (cc-exit) closed it");
    }

    @Test
    void pingRestartReconnectsWhenTheServerForgetsUs() throws Exception {
        start(Map.of(), Map.of());
        assertTrue(until(client::isUp, 10_000));
        Session first = client.control().session();
        // as a restarted server: our session is gone there, our packets are dropped, nothing comes back
        server.registry.sessions().forEach(s -> server.registry.close(s, "test: server forgot the client"));
        assertTrue(until(() -> client.control() != null && client.control().session() != first && client.isUp(), 15_000),
                "ping-restart (5 s pushed) and a new connection after the backoff");
        assertEchoes(4);
    }

    @Test
    void aWrongTlsCryptKeyNeverConnectsAndRetries() throws Exception {
        dir = Files.createTempDirectory("tb-ovpn-client-");
        server = new ServerHarness(dir, Map.of(), Map.of());
        Path other = dir.resolve("other.key");
        Files.writeString(other, org.tunnelbus.openvpn.internal.keys.StaticKeyFile.format(
                org.tunnelbus.openvpn.internal.keys.StaticKeyFile.generate(new java.security.SecureRandom())));
        client = new ClientHarness(server, Map.of("tls.crypt", other.toString(), "hand.window", 2));
        Thread.sleep(3_500);
        assertFalse(client.isUp());
        assertTrue(server.listener.controlChannels().isEmpty());
    }

    @Test
    void connectsOverTcpAndPings() throws Exception {
        start(Map.of("proto", "tcp"), Map.of("proto", "tcp"));
        assertTrue(until(client::isUp, 10_000), "client up over TCP");
        assertEchoes(1);
        client.connector.renegotiate();
        Session s = client.control().session();
        assertTrue(until(() -> s.get(DataKeys.KEY).send().keyId() == 1, 10_000), "renegotiation over TCP");
        assertEchoes(2);
    }

    /**
     * A TCP server that never accepts (its accept queue is full, so the kernel drops our SYNs) is left after
     * connect.timeout for the next remote; the connect runs off the control thread, so a stop meanwhile is quick.
     */
    @Test
    void aTcpServerThatNeverAcceptsIsLeftAfterConnectTimeout() throws Exception {
        try (java.net.ServerSocket stuck = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                java.net.Socket q1 = new java.net.Socket(); java.net.Socket q2 = new java.net.Socket()) {
            q1.connect(stuck.getLocalSocketAddress(), 1000); // fill the accept queue (backlog 1: two fit)
            q2.connect(stuck.getLocalSocketAddress(), 1000);
            dir = Files.createTempDirectory("tb-ovpn-client-");
            server = new ServerHarness(dir, Map.of("proto", "tcp"), Map.of());
            client = new ClientHarness(server, Map.of("proto", "tcp", "connect.timeout", 2, "connect.retry", 1,
                    "remote", new String[] {"127.0.0.1 " + stuck.getLocalPort(), "127.0.0.1 " + server.port()}));
            assertTrue(until(client::isUp, 15_000), "up through the second remote after the first timed out");
            assertEquals(server.port(), client.control().session().remote().getPort());
            assertEchoes(7);

            ClientHarness waiting = new ClientHarness(server, Map.of("proto", "tcp", "connect.timeout", 60,
                    "remote", "127.0.0.1 " + stuck.getLocalPort()));
            Thread.sleep(300); // its connect is under way, for up to 60 s
            long t0 = System.nanoTime();
            waiting.close();
            assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "a stop does not wait for the connect");
        }
    }

    @Test
    void overTcpStopClosesTheConnectionAndTheServerDropsTheSession() throws Exception {
        start(Map.of("proto", "tcp"), Map.of("proto", "tcp"));
        assertTrue(until(client::isUp, 10_000));
        assertTrue(until(() -> server.listener.controlChannels().stream().anyMatch(ControlChannel::isUp), 5_000));
        client.close();
        client = null;
        assertTrue(until(() -> server.listener.controlChannels().isEmpty(), 5_000), "the closed connection ended it");
    }

    @Test
    void overTcpAClosedConnectionReconnectsAfterTheBackoff() throws Exception {
        start(Map.of("proto", "tcp"), Map.of("proto", "tcp"));
        assertTrue(until(client::isUp, 10_000));
        Session first = client.control().session();
        // the server ends our session: it closes the connection, as stock closes a TCP client's socket
        server.registry.sessions().forEach(s -> server.registry.close(s, "test: server ended the session"));
        assertTrue(until(() -> client.control() != null && client.control().session() != first && client.isUp(), 10_000),
                "reconnected after the connection closed (well before ping-restart)");
        assertEchoes(3);
    }

    /** Sends ICMP echo requests from the client's "TUN" until one reply comes back through the tunnel. */
    private void assertEchoes(int seq) throws Exception {
        int before = client.delivered.size();
        long end = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < end) {
            client.sendIp(ClientHarness.echoRequest(CLIENT_IP, SERVER_IP, seq));
            if (until(() -> client.delivered.size() > before, 300)) {
                byte[] reply = client.delivered.get(before);
                assertEquals(0, reply[20], "ICMP echo reply");
                assertEquals(SERVER_IP, java.nio.ByteBuffer.wrap(reply).getInt(12));
                return;
            }
        }
        throw new AssertionError("no echo reply through the tunnel");
    }

    private static boolean until(BooleanSupplier done, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
