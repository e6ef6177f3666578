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
import org.tunnelbus.e2e.harness.ManagedProcess;
import org.tunnelbus.e2e.harness.Netns;
import org.tunnelbus.e2e.harness.OpenvpnClient;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.Traffic;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;
import org.tunnelbus.pki.internal.ClientProfile;

/**
 * The harness against itself: a stock OpenVPN 2.6 server and a stock client in namespaces the test creates,
 * the client reading a profile in the exact format {@code tunnelbus profile} prints (same code), with
 * certificates from the Tunnelbus CA. Proves the namespaces, processes, waits, ping and iperf3 of the harness —
 * and that the stock server accepts what the Tunnelbus CA and profile writer make — independently of the
 * Tunnelbus server.
 */
class HarnessSelfTestIT {
    static Lab lab;

    @BeforeAll
    static void lab() {
        Prerequisites.requireMachine();
        lab = new Lab("harness");
    }

    @AfterAll
    static void cleanup() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void stockServerAndStockClientPassPingAndIperfThroughTheHarness() throws Exception {
        Path pki = lab.file("pki");
        CertificateAuthority ca = CertificateAuthority.open(pki, CaPolicy.defaults());
        ca.ensureCa();
        IssuedCertificate server = ca.issueServer("server");
        IssuedCertificate client = ca.issueClient("selftest");
        Path tc = lab.file("tc.key");
        Cmd.run(Duration.ofSeconds(20), "openvpn", "--genkey", "secret", tc.toString()).check();

        Path serverConf = lab.file("server.conf");
        Files.write(serverConf, List.of(
                "dev tun", "proto udp", "local " + Lab.SERVER_UNDERLAY, "port 1194", "topology subnet",
                "server 10.8.0.0 255.255.255.0", "ca " + ca.caCertificateFile(), "cert " + server.certificateFile(),
                "key " + server.privateKeyFile(), "dh none", "tls-crypt " + tc, "crl-verify " + ca.crlFile(),
                "keepalive 10 60", "verb 3"));
        Netns srv = lab.server();
        ManagedProcess stock = srv.start(lab.cleanup(), "stock-server", lab.file("stock-server.log"),
                "openvpn", "--config", serverConf.toString());
        stock.waitForLine(OpenvpnClient.CONNECTED, Duration.ofSeconds(30));

        String key = Files.readString(tc);
        key = key.substring(key.indexOf("-----BEGIN"));
        String profile = new ClientProfile(client, Lab.SERVER_UNDERLAY, 1194, "udp", "server", key, null, null,
                List.of("harness self-test")).format();
        Path ovpn = lab.file("selftest.ovpn");
        Files.writeString(ovpn, profile);

        OpenvpnClient c = OpenvpnClient.start(lab.cleanup(), lab.client(1), "client-selftest", ovpn,
                lab.file("client-selftest.log"));
        String address = c.waitConnected(Duration.ofSeconds(40));
        assertEquals("10.8.0.2", address);
        assertEquals("AES-256-GCM", c.dataCipher());

        Traffic.assertPings(lab.client(1), "10.8.0.1", 3);
        Traffic.assertPings(srv, address, 3);
        Traffic.iperfServer(lab.cleanup(), srv, "10.8.0.1", 5201, lab.file("iperf-server.log"));
        assertTrue(Traffic.iperf(lab.client(1), "10.8.0.1", 5201, 1, false).bytes() > 0);
        assertTrue(Traffic.iperf(lab.client(1), "10.8.0.1", 5201, 1, true).bytes() > 0);

        // the client goes away: the server notices (explicit-exit-notify is off for a client profile: by timeout
        // only), so just check the client ended on SIGTERM by its PID
        c.close();
        assertTrue(!c.process().isAlive());
        assertTrue(stock.grep(Pattern.compile("selftest/.*(Peer Connection Initiated|MULTI_sva)")).size() > 0,
                stock.tail(20));
    }
}
