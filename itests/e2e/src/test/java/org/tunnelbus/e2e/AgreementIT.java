package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.OpenvpnClient;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.Traffic;
import org.tunnelbus.e2e.harness.TunnelbusClient;
import org.tunnelbus.e2e.harness.TunnelbusServer;

/**
 * Issue 5: the agreement model. A stock 2.6 peer in p2p TLS mode ({@code --tls-client --ifconfig 10.9.0.2 10.9.0.1},
 * no {@code --pull}/{@code --client}) against a Tunnelbus listener with {@code handshake.mode = agreement} and
 * {@code ifconfig = 10.9.0.1 10.9.0.2}: it connects without any push and pings both ways; a different
 * {@code --tun-mtu} is a WARNING naming it, and with {@code strict = true} a refusal naming it. And the other way
 * round: the Tunnelbus client in agreement mode against a stock p2p {@code --tls-server}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgreementIT {
    static final String AGREEMENT = "org.tunnelbus.handshake.agreement.cfg";
    static final String DEVICE = "org.tunnelbus.device.tun-server.cfg";
    static final String LOCAL = "10.9.0.1";
    static final String REMOTE = "10.9.0.2";
    static final Duration CONNECT = Duration.ofSeconds(60);
    static final Pattern INLINE = Pattern.compile("(?s)<(ca|cert|key|tls-crypt)>.*?</\\1>");

    static Lab lab;
    static Path dist;
    static TunnelbusServer server;
    static Path inline;
    static OpenvpnClient peer;

    @BeforeAll
    static void startServerInAgreementMode() throws Exception {
        dist = Prerequisites.requireDistribution();
        lab = new Lab("agree");
        server = TunnelbusServer.start(lab.cleanup(), lab.server(), dist, lab.file("home"), 9781, lab.file("tunnelbus.log"));
        server.waitListening(1194, Duration.ofSeconds(120));
        // the peer's certificate, key and tls-crypt key: the inline blocks of a profile, without its client options
        server.setConfig(TunnelbusServer.LISTENER, "public.address", Lab.SERVER_UNDERLAY);
        Path profile = lab.file("peer.ovpn");
        server.profile("peer", profile);
        inline = lab.file("peer-inline.conf");
        List<String> blocks = new ArrayList<>();
        Matcher m = INLINE.matcher(Files.readString(profile));
        while (m.find()) {
            blocks.add(m.group());
        }
        assertEquals(4, blocks.size(), "inline blocks of the profile");
        Files.write(inline, blocks);

        int mark = server.process().mark();
        server.setConfig(AGREEMENT, Map.of("ifconfig", LOCAL + " " + REMOTE));
        server.setConfig(DEVICE, "addresses", LOCAL + "/24");
        server.setConfig(TunnelbusServer.LISTENER, "handshake.mode", "agreement");
        server.process().waitForLine(Pattern.compile("Agreement handshake: tunnel 10\\.9\\.0\\.1 - 10\\.9\\.0\\.2"),
                Duration.ofSeconds(30), mark);
        server.process().waitForLine(Pattern.compile("handshake agreement"), Duration.ofSeconds(30), mark);
        waitFor(() -> lab.server().ip("-4", "addr", "show").output().contains("inet " + LOCAL + "/24"), "10.9.0.1 on the TUN");
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    /** A stock p2p TLS peer, configured as the mirror image of the listener, plus {@code extra} options. */
    static OpenvpnClient startPeer(String label, String... extra) throws Exception {
        Path conf = lab.file(label + ".conf");
        List<String> lines = new ArrayList<>(List.of("tls-client", "dev tun", "proto udp", "nobind",
                "remote " + Lab.SERVER_UNDERLAY + " 1194", "ifconfig " + REMOTE + " " + LOCAL, "explicit-exit-notify 1",
                "disable-dco", "config " + inline));
        lines.addAll(List.of(extra));
        Files.write(conf, lines);
        return OpenvpnClient.start(lab.cleanup(), lab.client(1), label, conf, lab.file(label + ".log"));
    }

    static void stopPeer() {
        if (peer != null) {
            int mark = server.process().mark();
            peer.close(); // SIGTERM: explicit-exit-notify ends our session at once
            server.process().pollForLine(Pattern.compile("Client peer .*disconnected"), Duration.ofSeconds(10), mark);
            peer = null;
        }
    }

    @Test
    @Order(1)
    void stockP2pPeerConnectsWithoutPushAndPingsBothWays() throws Exception {
        int mark = server.process().mark();
        peer = startPeer("peer-alike");
        assertEquals(REMOTE, peer.waitConnected(CONNECT, server));
        String up = server.process().waitForLine(Pattern.compile("Client peer connected from .*"), CONNECT, mark).group();
        assertTrue(up.contains("virtual address " + REMOTE) && up.contains("agreement mode"), up);
        Traffic.assertPings(lab.client(1), LOCAL, 3, server);
        Traffic.assertPings(lab.server(), REMOTE, 3, server);
        // p2p NCP: both 2.6 sides chose from each other's IV_CIPHERS, the keys come from the TLS exporter
        assertEquals("AES-256-GCM", peer.dataCipher());
        assertTrue(up.contains("cipher AES-256-GCM") && up.contains("keys by tls-ekm"), up);
        assertEquals(List.of(), peer.process().grep(Pattern.compile("PUSH_REQUEST|PUSH_REPLY|AUTH_FAILED")));
        assertEquals(1, peer.process().grep(Pattern.compile(
                "P2P mode NCP negotiation result: TLS_export=1, DATA_v2=0, .*cipher=AES-256-GCM")).size(), peer.process().tail(30));
        // our options string is the one stock expects from its mirror image: the stock peer warns about nothing
        assertEquals(List.of(), peer.process().grep(Pattern.compile("is used inconsistently|missing in")));
        assertEquals(List.of(), server.process().linesSince(mark).stream().filter(l -> l.contains("inconsistently")).toList());
        stopPeer();
    }

    @Test
    @Order(2)
    void aDifferentTunMtuIsAWarningNamingItAndTheTunnelStillWorks() throws Exception {
        int mark = server.process().mark();
        peer = startPeer("peer-mtu", "tun-mtu 1400");
        peer.waitConnected(CONNECT, server);
        String warning = server.process().waitForLine(Pattern.compile("WARN .*WARNING: 'tun-mtu' is used inconsistently.*"),
                CONNECT, mark).group();
        assertTrue(warning.contains("local='tun-mtu 1500'") && warning.contains("remote='tun-mtu 1400'"), warning);
        Traffic.assertPings(lab.client(1), LOCAL, 3, server);
        Traffic.assertPings(lab.server(), REMOTE, 3, server);
        stopPeer();
    }

    @Test
    @Order(3)
    void withStrictThePeerIsRefusedWithTheOptionNamed() throws Exception {
        int mark = server.process().mark();
        server.setConfig(AGREEMENT, "strict", "true");
        server.process().waitForLine(Pattern.compile("Agreement handshake reconfigured"), Duration.ofSeconds(30), mark);
        peer = startPeer("peer-strict", "tun-mtu 1400");
        String refused = server.process().waitForLine(Pattern.compile("Refused client peer from .*"), CONNECT, mark).group();
        assertTrue(refused.contains("strict = true") && refused.contains("'tun-mtu'"), refused);
        assertEquals(0, Traffic.ping(lab.client(1), LOCAL, 2, 200).received(), "a refused peer must not reach " + LOCAL);
        assertEquals(List.of(), server.process().linesSince(mark).stream()
                .filter(l -> l.contains("Client peer connected")).toList());
        peer.close();
        peer = null;
    }

    /**
     * The other direction: the Tunnelbus client with {@code handshake.mode = agreement} against a stock p2p
     * {@code --tls-server --ifconfig 10.9.1.1 10.9.1.2} (the server's certificate and keys of the Tunnelbus server's
     * PKI, on another port beside the listener): no pull, p2p NCP from each other's peer-info, pings both ways.
     */
    @Test
    @Order(4)
    void tunnelbusClientInAgreementModeAgainstAStockTlsServer() throws Exception {
        Path pki = server.home().resolve("pki");
        Path conf = lab.file("stock-p2p-server.conf");
        Files.write(conf, List.of("tls-server", "dev tunp", "dev-type tun", "proto udp", "port 1195", "ifconfig 10.9.1.1 10.9.1.2",
                "ca " + pki.resolve("ca.crt"), "cert " + pki.resolve("issued/server.crt"), "key " + pki.resolve("private/server.key"),
                "tls-crypt " + pki.resolve("tls-crypt.key"), "dh none", "disable-dco", "keepalive 2 10"));
        OpenvpnClient stock = OpenvpnClient.start(lab.cleanup(), lab.server(), "stock-p2p-server", conf,
                lab.file("stock-p2p-server.log"));
        Map<String, String> config = new java.util.LinkedHashMap<>(TunnelbusClient.fromProfile(lab.file("peer.ovpn"),
                lab.file("tb-p2p-keys")));
        config.put("port", "1195");
        config.put("handshake.mode", "agreement");
        Path home = lab.file("tb-p2p-home");
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config").resolve(AGREEMENT), "ifconfig = \"10.9.1.2 10.9.1.1\"\n");
        try (TunnelbusClient client = TunnelbusClient.start(lab.cleanup(), lab.client(2), dist, home, 9781,
                lab.file("tunnelbus-p2p-client.log"), config)) {
            assertEquals("10.9.1.2", client.waitConnected(CONNECT, lab.client(2)));
            stock.process().waitForLine(OpenvpnClient.CONNECTED, CONNECT);
            Traffic.assertPings(lab.client(2), "10.9.1.1", 3);
            Traffic.assertPings(lab.server(), "10.9.1.2", 3);
            assertEquals(1, stock.process().grep(Pattern.compile(
                    "P2P mode NCP negotiation result: TLS_export=1, DATA_v2=0, .*cipher=AES-256-GCM")).size(),
                    stock.process().tail(30));
            assertEquals(List.of(), stock.process().grep(Pattern.compile("PUSH_REQUEST|PUSH_REPLY|is used inconsistently")));
            assertEquals(List.of(), client.process().grep(Pattern.compile("PUSH_REQUEST|inconsistently")));
        } finally {
            stock.close();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Traffic.sleep(200);
        }
    }
}
