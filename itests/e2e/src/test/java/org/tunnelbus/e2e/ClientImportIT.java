package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tunnelbus.e2e.harness.Cmd;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.ManagedProcess;
import org.tunnelbus.e2e.harness.Netns;
import org.tunnelbus.e2e.harness.OpenvpnClient;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.Traffic;
import org.tunnelbus.e2e.harness.TunnelbusClient;
import org.tunnelbus.e2e.harness.TunnelbusServer;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;
import org.tunnelbus.pki.internal.ClientProfile;

/**
 * Issue 5, test 1 (UDP): the stock client profile of a STOCK openvpn 2.6 server (inline ca/cert/key/tls-crypt,
 * remote-cert-tls server, verify-x509-name) goes through {@code tunnelbus import} into an empty home, which then
 * holds the client connection and the packet bus settings only, and runs the client profile (HOME/profile): no CA
 * state, no web console password; {@code tunnelbus start} on that home connects,
 * its TUN device gets the pushed address, ping and iperf3 pass both ways, and {@code tunnelbus status} shows the
 * connection.
 */
class ClientImportIT {
    private static final List<String> SERVER_DEFAULTS = List.of("org.tunnelbus.openvpn.server-default.cfg",
            "org.tunnelbus.handshake.cfg", "org.tunnelbus.device.tun-server.cfg", "org.tunnelbus.auth.cert.cfg",
            "org.tunnelbus.pki.cfg");
    static Lab lab;

    @BeforeAll
    static void lab() {
        Prerequisites.requireMachine();
        lab = new Lab("climport");
    }

    @AfterAll
    static void cleanup() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void anImportedStockClientProfileConnectsToAStockServer() throws Exception {
        Path dist = Prerequisites.requireDistribution();
        CertificateAuthority ca = CertificateAuthority.open(lab.file("pki"), CaPolicy.defaults());
        ca.ensureCa();
        IssuedCertificate server = ca.issueServer("server");
        IssuedCertificate client = ca.issueClient("imported");
        Path tc = lab.file("tc.key");
        Cmd.run(Duration.ofSeconds(20), "openvpn", "--genkey", "secret", tc.toString()).check();
        Netns srv = lab.server();
        ManagedProcess stock = startStockServer(srv, ca, server, tc);

        String key = Files.readString(tc);
        Path ovpn = lab.file("office.ovpn");
        Files.writeString(ovpn, new ClientProfile(client, Lab.SERVER_UNDERLAY, 1194, "udp", "server",
                key.substring(key.indexOf("-----BEGIN")), null, null, List.of("stock profile")).format());
        Path home = lab.file("client-home");
        Cmd.Result r = Cmd.run(Duration.ofSeconds(60), dist.resolve("bin/tunnelbus").toString(), "import",
                ovpn.toString(), "--home", home.toString());
        System.out.println("[e2e] tunnelbus import:\n" + r.output());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Every directive was imported."), r.output());
        assertEquals(List.of("org.tunnelbus.core.bus.cfg", "org.tunnelbus.openvpn.client-office.cfg"), configFiles(home),
                "a client home gets none of the server's defaults");
        assertEquals("client", Files.readString(home.resolve(TunnelbusClient.PROFILE_FILE)).trim());

        Netns cns = lab.client(1);
        TunnelbusServer tb = TunnelbusServer.start(lab.cleanup(), cns, dist, home, 9782, lab.file("tunnelbus-client.log"));
        tb.process().waitForLine(Pattern.compile(".*Connected to .*address 10\\.8\\.0\\.2/24.*"), Duration.ofSeconds(60));
        assertTrue(Traffic.waitForPing(cns, "10.8.0.1", Duration.ofSeconds(30)), tb.process().tail(40));
        assertEquals("10.8.0.2", cns.ipv4Of("tun-client"), "the imported device name carries the pushed address");

        Traffic.assertPings(cns, "10.8.0.1", 3);
        Traffic.assertPings(srv, "10.8.0.2", 3);
        Traffic.iperfServer(lab.cleanup(), srv, "10.8.0.1", 5201, lab.file("iperf-server.log"));
        assertTrue(Traffic.iperf(cns, "10.8.0.1", 5201, 3, false).bytes() > 0);
        assertTrue(Traffic.iperf(cns, "10.8.0.1", 5201, 3, true).bytes() > 0);
        assertTrue(stock.grep(Pattern.compile("imported/.*(Peer Connection Initiated|MULTI_sva)")).size() > 0, stock.tail(20));
        String status = tb.status();
        System.out.println("[e2e] tunnelbus status:\n" + status);
        assertTrue(status.contains(Lab.SERVER_UNDERLAY) && status.contains("10.8.0.2"), status);
        assertEquals(List.of(), tb.errors(), "the absent server configuration leaves the server components inactive");
        // (Config Admin may save the device configuration the client writes: that one is the client's own)
        assertTrue(configFiles(home).stream().noneMatch(SERVER_DEFAULTS::contains),
                "the start seeded none of the server's defaults: " + configFiles(home));
        assertEquals(1, tb.process().grep(TunnelbusClient.CLIENT_PROFILE_STARTED).size(), tb.process().tail(60));
        assertTrue(!Files.exists(home.resolve("pki")), "the client profile has no CA (org.tunnelbus.pki)");
        assertTrue(!Files.exists(home.resolve("console.password")), "the client profile has no web console");
        assertTrue(tb.process().grep(Pattern.compile("^Web console: ")).isEmpty(), tb.process().tail(60));
        tb.close();
    }

    private static ManagedProcess startStockServer(Netns srv, CertificateAuthority ca, IssuedCertificate server, Path tc)
            throws Exception {
        Path serverConf = lab.file("server.conf");
        Files.write(serverConf, List.of(
                "dev tun", "proto udp", "local " + Lab.SERVER_UNDERLAY, "port 1194", "topology subnet",
                "server 10.8.0.0 255.255.255.0", "ca " + ca.caCertificateFile(), "cert " + server.certificateFile(),
                "key " + server.privateKeyFile(), "dh none", "tls-crypt " + tc, "keepalive 10 60", "verb 3"));
        ManagedProcess stock = srv.start(lab.cleanup(), "stock-server", lab.file("stock-server.log"),
                "openvpn", "--config", serverConf.toString());
        stock.waitForLine(OpenvpnClient.CONNECTED, Duration.ofSeconds(30));
        return stock;
    }

    private static List<String> configFiles(Path home) throws Exception {
        try (Stream<Path> s = Files.list(home.resolve("config"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }
}
