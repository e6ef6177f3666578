package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tunnelbus.e2e.harness.Cmd;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.OpenvpnClient;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.Traffic;
import org.tunnelbus.e2e.harness.TunnelbusServer;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;
import org.tunnelbus.pki.internal.ClientProfile;

/**
 * Issue 5, test 8: an existing stock {@code server.conf} (its own CA, keys in files next to it, two directives
 * Tunnelbus does not support) goes through {@code tunnelbus import}; the report names the unsupported lines,
 * and the imported server then accepts a stock client whose certificate comes from that existing CA.
 */
class ImportIT {
    static Lab lab;

    @BeforeAll
    static void lab() {
        Prerequisites.requireMachine();
        lab = new Lab("import");
    }

    @AfterAll
    static void cleanup() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aStockServerConfIsImportedWithAReportAndTheImportedServerAcceptsAStockClient() throws Exception {
        Path dist = Prerequisites.requireDistribution();
        Path etc = lab.file("etc-openvpn");
        Files.createDirectories(etc);
        CertificateAuthority ca = CertificateAuthority.open(etc.resolve("easy-rsa"), CaPolicy.defaults());
        ca.ensureCa();
        IssuedCertificate server = ca.issueServer("vpn.example.org");
        IssuedCertificate carol = ca.issueClient("carol");
        Path tc = etc.resolve("tc.key");
        Cmd.run(Duration.ofSeconds(20), "openvpn", "--genkey", "secret", tc.toString()).check();
        Files.copy(ca.caCertificateFile(), etc.resolve("ca.crt"));
        Files.copy(server.certificateFile(), etc.resolve("server.crt"));
        Files.copy(server.privateKeyFile(), etc.resolve("server.key"));
        Path conf = etc.resolve("server.conf");
        Files.write(conf, List.of(
                "# a stock OpenVPN 2.6 server",
                "port 1194",
                "proto udp",
                "dev tun",
                "ca ca.crt",
                "cert server.crt",
                "key server.key  # keep this file secret",
                "dh none",
                "topology subnet",
                "server 10.8.0.0 255.255.255.0",
                "ifconfig-pool-persist /var/log/openvpn/ipp.txt",
                "keepalive 10 120",
                "tls-crypt tc.key",
                "data-ciphers AES-256-GCM:AES-128-GCM",
                "persist-key",
                "persist-tun",
                "management 127.0.0.1 7505",
                "verb 3"));

        Path home = lab.file("home");
        Cmd.Result r = Cmd.run(Duration.ofSeconds(60), dist.resolve("bin/tunnelbus").toString(), "import", conf.toString(),
                "--home", home.toString());
        System.out.println("[e2e] tunnelbus import:\n" + r.output());
        assertEquals(3, r.exit(), "exit 3: files written, some directives unsupported\n" + r.output());
        String unsupported = section(r.output(), "UNSUPPORTED");
        assertTrue(Pattern.compile("(?m)line\\s+11\\s+ifconfig-pool-persist").matcher(unsupported).find(), r.output());
        assertTrue(Pattern.compile("(?m)line\\s+17\\s+management 127\\.0\\.0\\.1 7505").matcher(unsupported).find(), r.output());
        assertEquals(2, unsupported.lines().filter(l -> l.trim().startsWith("line")).count(),
                "exactly the two unsupported directives:\n" + r.output());
        assertTrue(r.output().contains("server 10.8.0.0 255.255.255.0"), "every directive appears in the report");

        TunnelbusServer tb = TunnelbusServer.start(lab.cleanup(), lab.server(), dist, home, 9780, lab.file("tunnelbus.log"));
        tb.waitListening(1194, Duration.ofSeconds(120));
        assertTrue(tb.errors().isEmpty(), "no ERROR line after the import: " + tb.errors());

        String key = Files.readString(tc);
        String profile = new ClientProfile(carol, Lab.SERVER_UNDERLAY, 1194, "udp", "vpn.example.org",
                key.substring(key.indexOf("-----BEGIN")), null, null, List.of("stock CA, imported server")).format();
        Path ovpn = lab.file("carol.ovpn");
        Files.writeString(ovpn, profile);
        OpenvpnClient c = OpenvpnClient.start(lab.cleanup(), lab.client(1), "openvpn-carol", ovpn, lab.file("client-carol.log"));
        assertEquals("10.8.0.2", c.waitConnected(Duration.ofSeconds(60), tb));
        Traffic.assertPings(lab.client(1), "10.8.0.1", 3, tb);
        Traffic.assertPings(lab.server(), "10.8.0.2", 3, tb);
        c.close();
    }

    /** The lines of the report's section {@code title} (up to the next all-caps heading). */
    private static String section(String report, String title) {
        StringBuilder b = new StringBuilder();
        boolean in = false;
        for (String line : report.split("\n")) {
            if (line.startsWith(title)) {
                in = true;
                continue;
            }
            if (in && !line.startsWith(" ")) {
                break;
            }
            if (in) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }
}
