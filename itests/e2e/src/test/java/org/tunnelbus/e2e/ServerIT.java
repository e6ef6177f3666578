package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.ManagedProcess;
import org.tunnelbus.e2e.harness.Netns;
import org.tunnelbus.e2e.harness.OpenvpnClient;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.Soft;
import org.tunnelbus.e2e.harness.Traffic;
import org.tunnelbus.e2e.harness.TunnelbusServer;

/**
 * Issue 4, tests 1, 2, 4 and 6 against one Tunnelbus server started on an empty home with the embedded default
 * configuration (fresh namespaces for this class): stock OpenVPN 2.6 clients with profiles from
 * {@code tunnelbus profile}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerIT {
    static final String SERVER_TUN = "10.8.0.1";
    static final int IPERF_PORT = 5201;
    static final int IPERF_SECONDS = 3;
    static final Duration CONNECT = Duration.ofSeconds(60);

    static Lab lab;
    static TunnelbusServer server;

    @BeforeAll
    static void startServer() {
        Path dist = Prerequisites.requireDistribution();
        lab = new Lab("server");
        Path home = lab.file("home");
        long t0 = System.nanoTime();
        server = TunnelbusServer.start(lab.cleanup(), lab.server(), dist, home, 9780, lab.file("tunnelbus.log"));
        server.waitListening(1194, Duration.ofSeconds(120));
        System.out.printf("[e2e] Tunnelbus listening on UDP 1194 after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        // what users reach it by: the server's address on the bridge of the lab
        server.setConfig(TunnelbusServer.LISTENER, "public.address", Lab.SERVER_UNDERLAY);
        Traffic.iperfServer(lab.cleanup(), lab.server(), SERVER_TUN, IPERF_PORT, lab.file("iperf-server.log"));
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    /** Profile of {@code name} from {@code tunnelbus profile}, written to the lab directory. */
    static Path profile(String name, String... args) {
        Path p = lab.file(name + ".ovpn");
        server.profile(name, p, args);
        return p;
    }

    /** Connects {@code name} from client namespace {@code i}; returns the client, connected. */
    static OpenvpnClient connect(int i, String name, Path profile, String... extra) {
        OpenvpnClient c = OpenvpnClient.start(lab.cleanup(), lab.client(i), "openvpn-" + name, profile,
                lab.file("client-" + name + ".log"), extra);
        c.waitConnected(CONNECT, server);
        return c;
    }

    /** Ping both ways and iperf3 both ways through {@code c}'s tunnel. */
    static void pingAndIperf(OpenvpnClient c, String address) {
        Traffic.assertPings(c.ns(), SERVER_TUN, 3, server);
        Traffic.assertPings(lab.server(), address, 3, server);
        Traffic.IperfResult up = Traffic.iperf(c.ns(), SERVER_TUN, IPERF_PORT, IPERF_SECONDS, false);
        Traffic.IperfResult down = Traffic.iperf(c.ns(), SERVER_TUN, IPERF_PORT, IPERF_SECONDS, true);
        System.out.printf("[e2e] %s: iperf3 client->server %.1f Mbit/s (%d bytes), server->client %.1f Mbit/s (%d bytes)%n",
                c.process().label(), up.mbitPerSecond(), up.bytes(), down.mbitPerSecond(), down.bytes());
        assertTrue(up.bytes() > 0, "client->server moved nothing");
        assertTrue(down.bytes() > 0, "server->client moved nothing");
    }

    @Test
    @Order(0)
    void firstStartGeneratedTheCaTheServerCertificateAndTheTlsCryptKeyAsPlainConfiguration() throws Exception {
        Path home = server.home();
        for (String f : List.of("pki/ca.crt", "pki/ca.key", "pki/crl.pem", "pki/issued/server.crt",
                "pki/private/server.key", "pki/tls-crypt.key", "config/" + TunnelbusServer.LISTENER,
                "config/org.tunnelbus.handshake.cfg", "config/org.tunnelbus.device.tun-server.cfg",
                "config/org.tunnelbus.auth.cert.cfg")) {
            assertTrue(Files.exists(home.resolve(f)), "first start did not create " + f);
        }
        assertTrue(Files.readString(home.resolve("pki/tls-crypt.key")).contains("-----BEGIN OpenVPN Static key V1-----"));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("pki/tls-crypt.key"))));
        assertTrue(lab.server().ip("-4", "addr", "show").output().contains("inet 10.8.0.1/24"),
                "no TUN device with 10.8.0.1/24 in the server namespace");
        // the handshake's defaults: 10.8.0.0/24 and the three ciphers
        String hs = Files.readString(home.resolve("config/org.tunnelbus.handshake.cfg"));
        assertTrue(hs.contains("server = 10.8.0.0/24"), hs);
        assertTrue(hs.contains("data.ciphers = AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305"), hs);
        assertEquals(List.of(), server.errors(), "ERROR lines at start");
        // startup: one line says the server is up and where
        List<String> up = server.process().grep(Pattern.compile("listening on udp 0\\.0\\.0\\.0:1194"));
        assertEquals(1, up.size(), "startup lines: " + up);
    }

    @Test
    @Order(1)
    void test1_stockClientWithAProfileFromTunnelbusProfileConnectsPingsBothWaysAndMovesData() throws Exception {
        Soft soft = new Soft();
        Path alice = profile("alice");
        String text = Files.readString(alice);
        assertTrue(text.contains("\nremote " + Lab.SERVER_UNDERLAY + " 1194\n"), text);
        for (String tag : List.of("ca", "cert", "key", "tls-crypt")) {
            assertTrue(text.contains("<" + tag + ">") && text.contains("</" + tag + ">"), "no <" + tag + "> in the profile");
        }
        int mark = server.process().mark();
        OpenvpnClient c = connect(1, "alice", alice); // openvpn --config alice.ovpn, unchanged
        String address = lab.client(1).ipv4Of("tun0");
        assertTrue(address.startsWith("10.8.0."), address);
        pingAndIperf(c, address);

        // one clear log line for the connect, naming the client, its real and its virtual address
        List<String> connected = server.process().linesSince(mark).stream()
                .filter(l -> l.contains("Client alice connected")).toList();
        assertEquals(1, connected.size(), "connect lines: " + connected);
        List<String> aboutAlice = server.process().linesSince(mark).stream()
                .filter(l -> l.contains("alice") && !l.contains("fileinstall")).toList();
        soft.check("connect is one log line", () -> assertEquals(connected, aboutAlice, "the connect of alice is not one line"));
        assertTrue(connected.get(0).contains(Lab.underlay(1)) && connected.get(0).contains(address), connected.get(0));

        // status: name, real address, virtual address, cipher, bytes in/out, since
        List<String> row = server.statusRow("alice");
        assertNotNull(row, server.status());
        assertTrue(row.get(1).startsWith(Lab.underlay(1) + ":"), row.toString());
        assertEquals(address, row.get(2), row.toString());
        assertEquals("AES-256-GCM", row.get(3), row.toString());
        assertTrue(Long.parseLong(row.get(4)) > 100_000 && Long.parseLong(row.get(5)) > 100_000,
                "bytes in/out after iperf3: " + row);

        // disconnect: one line, and the session is gone
        mark = server.process().mark();
        c.close();
        String disconnected = server.process().waitForLine(Pattern.compile("Client alice \\(.*\\) disconnected.*"),
                Duration.ofSeconds(15), mark).group();
        Traffic.sleep(500);
        int disconnectMark = mark;
        soft.check("disconnect is one log line", () -> assertEquals(1, server.process().linesSince(disconnectMark).stream()
                .filter(l -> l.contains("alice")).count(), "the disconnect of alice is not one line: "
                + server.process().linesSince(disconnectMark)));
        assertTrue(disconnected.contains(Lab.underlay(1)), disconnected);
        assertEquals(null, server.statusRow("alice"), server.status());
        soft.assertAll();
    }

    @ParameterizedTest(name = "test2 data cipher {0}")
    @ValueSource(strings = {"AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305"})
    @Order(2)
    void test2_eachDataCipher(String cipher) {
        String name = "cipher-" + cipher.toLowerCase();
        OpenvpnClient c = connect(2, name, profile(name), "--data-ciphers", cipher);
        try {
            assertEquals(cipher, c.dataCipher(), "cipher the client reports");
            assertEquals(cipher, server.statusRow(name).get(3), server.status());
            pingAndIperf(c, lab.client(2).ipv4Of("tun0"));
        } finally {
            c.close();
        }
    }

    @Test
    @Order(3)
    void test2_tlsAuthInsteadOfTlsCrypt() throws Exception {
        // a second listener (factory configuration) on 1195 with tls-auth: added live, as a user would
        server.setConfig("org.tunnelbus.openvpn.server-tlsauth.cfg", Map.of(
                "port", "1195",
                "public.address", Lab.SERVER_UNDERLAY,
                "ca", "${tunnelbus.home}/pki/ca.crt",
                "cert", "${tunnelbus.home}/pki/issued/server.crt",
                "key", "${tunnelbus.home}/pki/private/server.key",
                "tls.auth", "${tunnelbus.home}/pki/tls-auth.key",
                "tls.auth.direction", "0"));
        server.waitListening(1195, Duration.ofSeconds(30));
        Path p = profile("tlsauth-carol", "--listener", "tlsauth");
        String text = Files.readString(p);
        assertTrue(text.contains("<tls-auth>") && !text.contains("<tls-crypt>") && text.contains("\nkey-direction 1\n")
                && text.contains("\nremote " + Lab.SERVER_UNDERLAY + " 1195\n"), text);
        OpenvpnClient c = connect(3, "tlsauth-carol", p);
        try {
            pingAndIperf(c, lab.client(3).ipv4Of("tun0"));
        } finally {
            c.close();
        }
    }

    @Test
    @Order(4)
    void test4_fiveClientsAtOnceGetTheirOwnAddressesReachTheServerButNotEachOther() {
        List<OpenvpnClient> clients = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        try {
            for (int i = 1; i <= 5; i++) {
                String name = "five-" + i;
                clients.add(OpenvpnClient.start(lab.cleanup(), lab.client(10 + i), "openvpn-" + name, profile(name),
                        lab.file("client-" + name + ".log")));
            }
            for (OpenvpnClient c : clients) {
                addresses.add(c.waitConnected(CONNECT, server));
            }
            Set<String> distinct = new HashSet<>(addresses);
            assertEquals(5, distinct.size(), "addresses: " + addresses);
            for (int i = 0; i < 5; i++) {
                Traffic.assertPings(clients.get(i).ns(), SERVER_TUN, 2, server);
            }
            // client-to-client is off by default: a tunnel address of another client is unreachable
            Traffic.PingResult cross = Traffic.ping(clients.get(0).ns(), addresses.get(1), 3, 200);
            assertEquals(0, cross.received(), "client 1 reached client 2 through the server:\n" + cross.output());
            Traffic.PingResult cross2 = Traffic.ping(clients.get(4).ns(), addresses.get(2), 3, 200);
            assertEquals(0, cross2.received(), "client 5 reached client 3 through the server:\n" + cross2.output());
            String status = server.status();
            for (int i = 1; i <= 5; i++) {
                assertNotNull(server.statusRow("five-" + i), status);
            }
        } finally {
            clients.forEach(OpenvpnClient::close);
        }
    }

    @Test
    @Order(6)
    void test6_renegotiationEvery10sKeepsEveryPingFor30s() {
        Netns ns = lab.client(4);
        int mark = server.process().mark();
        OpenvpnClient c = connect(4, "reneg", profile("reneg"), "--reneg-sec", "10");
        try {
            Map<String, Long> before = server.counters();
            ManagedProcess ping = Traffic.startPing(lab.cleanup(), ns, SERVER_TUN, 150, 200, lab.file("ping-reneg.log"));
            Traffic.PingResult r = Traffic.finish(ping);
            // the stock client prints "Control Channel: TLSv1.3, cipher ..." after every TLS handshake
            long softResets = c.process().grep(Pattern.compile("Control Channel: TLS")).size();
            List<String> serverReneg = server.process().linesSince(mark).stream()
                    .filter(l -> l.contains("Client reneg") && l.contains("renegotiated")).toList();
            System.out.println("[e2e] reneg: " + r.received() + "/" + r.transmitted() + " pings, data channel keys on the "
                    + "client (TLS handshakes): " + softResets + ", server renegotiation lines: " + serverReneg.size());
            assertEquals(150, r.transmitted(), r.output());
            assertEquals(0, r.lost(), "pings lost across key changes" + TunnelbusServer.dropsBetween(before, server.counters())
                    + ":\n" + r.output());
            assertTrue(softResets >= 3, "expected at least 3 data channel keys (initial + 2 renegotiations) in 30 s, client "
                    + "log:\n" + c.process().tail(40));
            assertTrue(serverReneg.size() >= 2, "server logged " + serverReneg.size() + " renegotiations:\n"
                    + server.process().tail(30));
            assertTrue(c.process().isAlive());
        } finally {
            c.close();
        }
        assertFalse(server.errors().stream().anyMatch(l -> l.contains("reneg")), server.errors().toString());
    }

    /**
     * Issue 5, test 7 (the server's side): the listener's {@code reneg.sec} set to 10 while the server runs; a stock
     * client that would not renegotiate for an hour connects and pings for 30 s: the server starts every key change
     * (≥ 2), no ping is lost. The setting is put back afterwards.
     */
    @Test
    @Order(7)
    void test7_renegotiationStartedByTheServerEvery10sKeepsEveryPing() {
        int mark = server.process().mark();
        server.setConfig(TunnelbusServer.LISTENER, "reneg.sec", "10");
        server.process().waitForLine(Pattern.compile("reneg-sec 10,.*applies to new sessions"), Duration.ofSeconds(20), mark);
        Netns ns = lab.client(5);
        OpenvpnClient c = connect(5, "server-reneg", profile("server-reneg"));
        try {
            Map<String, Long> before = server.counters();
            Traffic.PingResult r = Traffic.finish(Traffic.startPing(lab.cleanup(), ns, SERVER_TUN, 150, 200,
                    lab.file("ping-server-reneg.log")));
            List<String> byServer = server.process().linesSince(mark).stream()
                    .filter(l -> l.contains("Client server-reneg") && l.contains("renegotiated")).toList();
            System.out.println("[e2e] server-started reneg: " + r.received() + "/" + r.transmitted() + " pings, "
                    + byServer.size() + " renegotiations");
            assertEquals(0, r.lost(), "pings lost across key changes started by the server"
                    + TunnelbusServer.dropsBetween(before, server.counters()) + ":\n" + r.output());
            assertTrue(byServer.size() >= 2, server.process().tail(30));
            assertEquals(150, r.transmitted(), r.output());
            assertTrue(c.process().grep(Pattern.compile("Control Channel: TLS")).size() >= 3,
                    "the stock client saw the initial and ≥ 2 renegotiation handshakes:\n" + c.process().tail(30));
        } finally {
            c.close();
            server.setConfig(TunnelbusServer.LISTENER, "reneg.sec", null);
        }
    }
}
