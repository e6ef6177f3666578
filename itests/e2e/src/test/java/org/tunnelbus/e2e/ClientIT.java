package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tunnelbus.e2e.harness.Cmd;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.ManagedProcess;
import org.tunnelbus.e2e.harness.Netns;
import org.tunnelbus.e2e.harness.OpenvpnClient;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.Traffic;
import org.tunnelbus.e2e.harness.TunnelbusClient;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;

/**
 * Tunnelbus as an OpenVPN client (issue 5): {@code bin/tunnelbus start} with a home whose config/ holds only an
 * {@code org.tunnelbus.openvpn.client} configuration connects to a STOCK openvpn 2.6 server (tls-crypt, topology
 * subnet) over UDP, and over TCP ({@code proto tcp-server} on the stock side, {@code proto = tcp} on ours), in the
 * namespaces the lab creates, configures its TUN device with the pushed address through Config Admin, and carries
 * ping both ways and iperf3 both ways. The stock server runs with {@code --opt-verify}: our options string (proto
 * {@code TCPv4_CLIENT}, link-mtu counting the TCP length) must be exactly what it expects.
 */
class ClientIT {
    static Lab lab;
    static CertificateAuthority ca;
    static IssuedCertificate server;
    static IssuedCertificate client;
    static Path tc;

    @BeforeAll
    static void lab() throws Exception {
        Prerequisites.requireMachine();
        lab = new Lab("client");
        ca = CertificateAuthority.open(lab.file("pki"), CaPolicy.defaults());
        ca.ensureCa();
        server = ca.issueServer("server");
        client = ca.issueClient("tbclient");
        tc = lab.file("tc.key");
        Cmd.run(Duration.ofSeconds(20), "openvpn", "--genkey", "secret", tc.toString()).check();
    }

    @AfterAll
    static void cleanup() {
        if (lab != null) {
            lab.close();
        }
    }

    /**
     * One run per protocol, each with its own stock server (stopped at the end: both would own 10.8.0.1), client
     * namespace and home.
     */
    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void tunnelbusClientToStockServerPingsAndIperfBothWays(String proto) throws Exception {
        int n = proto.equals("udp") ? 1 : 2;
        Netns srv = lab.server();
        // issue 5 test 4: a stock server that refuses peers without RFC 5705 keys (the client's Bouncy Castle module
        // has the exporter)
        ManagedProcess stock = stockServer(proto, "force-tls-key-material-export", "push \"dhcp-option DNS 10.8.0.53\"");
        ManagedProcess iperf = null;
        TunnelbusClient tb = null;
        try {
            Netns cns = lab.client(n);
            tb = tunnelbusClient(proto, n, Map.of());
            String address = tb.waitConnected(Duration.ofSeconds(60), cns);
            assertTrue(Traffic.waitForPing(cns, "10.8.0.1", Duration.ofSeconds(30)), tb.process().tail(40));
            iperf = Traffic.iperfServer(lab.cleanup(), srv, "10.8.0.1", 5201, lab.file("iperf-server-" + proto + ".log"));
            Traffic.assertTunnelCarries("tunnelbus client -> stock server over " + proto, cns, address, srv, "10.8.0.1",
                    5201, 3);
            assertTrue(stock.grep(Pattern.compile("tbclient/.*(Peer Connection Initiated|MULTI_sva)")).size() > 0,
                    stock.tail(20));
            assertEquals(List.of(), stock.grep(Pattern.compile("inconsistently|Option inconsistency")), "options string");
            assertTrue(tb.process().grep(Pattern.compile("Connected to .*tls-ekm")).size() > 0,
                    "data keys by tls-ekm:\n" + tb.process().tail(20));
            // pushed DNS settings are recorded and shown, not applied to the system
            String details = tb.sessionDetails();
            assertTrue(details.contains("dhcp-option DNS 10.8.0.53") && details.contains(address), details);
        } finally {
            for (AutoCloseable c : new AutoCloseable[] {tb, iperf, stock}) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /**
     * Issue 5 test 7 (i): renegotiation every 10 s during 30 s of pings at 200 ms, none lost, at least two
     * renegotiations: once with both sides due every 10 s (our {@code reneg.sec = 10}, the stock server's
     * {@code reneg-sec 10}: the first to be due starts it), once with the stock server never starting one
     * ({@code reneg-sec 0}), so that every renegotiation is started by the Tunnelbus client.
     */
    @ParameterizedTest(name = "stock server {0}")
    @ValueSource(strings = {"reneg-sec 10", "reneg-sec 0"})
    void renegotiationEvery10sLosesNoPing(String stockReneg) throws Exception {
        renegotiationsLoseNoPing(stockReneg, stockReneg.endsWith(" 0") ? 4 : 3, Map.of("reneg.sec", "10"));
    }

    /**
     * Issue 5 (client starts a renegotiation by reneg-bytes): {@code reneg.bytes = 8000} and no reneg-sec on either
     * side, so every renegotiation is the client's, after 8000 bytes of pings (about one every 10 s at 200 ms).
     */
    @Test
    void renegBytesStartsRenegotiationsThatLoseNoPing() throws Exception {
        renegotiationsLoseNoPing("reneg-sec 0", 5, Map.of("reneg.sec", "0", "reneg.bytes", "8000"));
    }

    private void renegotiationsLoseNoPing(String stockReneg, int n, Map<String, String> ours) throws Exception {
        ManagedProcess stock = stockServer("udp", stockReneg);
        TunnelbusClient tb = null;
        try {
            Netns cns = lab.client(n);
            tb = tunnelbusClient("udp", n, ours);
            tb.waitConnected(Duration.ofSeconds(60), cns);
            assertTrue(Traffic.waitForPing(cns, "10.8.0.1", Duration.ofSeconds(30)), tb.process().tail(40));
            int mark = tb.process().mark();
            Traffic.PingResult r = Traffic.finish(Traffic.startPing(lab.cleanup(), cns, "10.8.0.1", 150, 200,
                    lab.file("ping-reneg-" + n + ".log")));
            List<String> renegs = tb.process().linesSince(mark).stream().filter(l -> l.contains("renegotiated")).toList();
            long theirs = stock.grep(Pattern.compile(".*Control Channel: TLS.*")).size();
            System.out.println("[e2e] reneg with stock: " + r.received() + "/" + r.transmitted() + " pings, client "
                    + "renegotiations " + renegs.size() + ", stock TLS handshakes " + theirs);
            assertEquals(150, r.transmitted(), r.output());
            assertEquals(0, r.lost(), "pings lost across key changes:\n" + r.output() + "\n" + tb.process().tail(40));
            assertTrue(renegs.size() >= 2, tb.process().tail(40));
            assertTrue(theirs >= 3, "initial + 2 renegotiations on the stock side:\n" + stock.tail(40));
            assertEquals(1, tb.process().grep(Pattern.compile(".*connecting to .*")).size(), "no reconnection");
        } finally {
            for (AutoCloseable c : new AutoCloseable[] {tb, stock}) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /** A stock 2.6 server in the server namespace (tls-crypt, topology subnet, --opt-verify), up. */
    static ManagedProcess stockServer(String proto, String... extra) throws Exception {
        Path serverConf = lab.file("server-" + proto + (extra.length == 0 ? "" : "-" + String.join("-", extra)
                .replaceAll("[^A-Za-z0-9]+", "_")) + ".conf");
        List<String> conf = new ArrayList<>(List.of(
                "dev tun", "proto " + (proto.equals("udp") ? "udp" : "tcp-server"), "local " + Lab.SERVER_UNDERLAY,
                "port 1194", "topology subnet", "server 10.8.0.0 255.255.255.0", "ca " + ca.caCertificateFile(),
                "cert " + server.certificateFile(), "key " + server.privateKeyFile(), "dh none", "tls-crypt " + tc,
                "keepalive 10 60", "opt-verify", "verb 3"));
        conf.addAll(List.of(extra));
        Files.write(serverConf, conf);
        String label = serverConf.getFileName().toString().replace(".conf", "");
        ManagedProcess stock = lab.server().start(lab.cleanup(), "stock-" + label, lab.file("stock-" + label + ".log"),
                "openvpn", "--config", serverConf.toString());
        stock.waitForLine(OpenvpnClient.CONNECTED, Duration.ofSeconds(30));
        return stock;
    }

    /** The distribution as a client of the stock server, in client namespace {@code n}. */
    static TunnelbusClient tunnelbusClient(String proto, int n, Map<String, String> extra) {
        Path dist = Prerequisites.requireDistribution();
        Map<String, String> config = new HashMap<>(Map.of("remote", Lab.SERVER_UNDERLAY, "port", "1194", "proto", proto,
                "ca", ca.caCertificateFile().toString(), "cert", client.certificateFile().toString(),
                "key", client.privateKeyFile().toString(), "tls.crypt", tc.toString()));
        config.putAll(extra);
        return TunnelbusClient.start(lab.cleanup(), lab.client(n), dist, lab.file("client-home-" + proto + "-" + n), 9781,
                lab.file("tunnelbus-client-" + proto + "-" + n + ".log"), config);
    }
}
