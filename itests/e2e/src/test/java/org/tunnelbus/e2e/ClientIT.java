package org.tunnelbus.e2e;

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
import org.tunnelbus.e2e.harness.TunnelbusServer;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;

/**
 * Tunnelbus as an OpenVPN client (issue 5): {@code bin/tunnelbus start} with a home whose config/ holds only an
 * {@code org.tunnelbus.openvpn.client} configuration connects over UDP to a STOCK openvpn 2.6 server
 * (tls-crypt, topology subnet) in the namespaces the lab creates, configures its TUN device with the pushed
 * address through Config Admin, and carries ping both ways and iperf3 both ways.
 */
class ClientIT {
    static Lab lab;

    @BeforeAll
    static void lab() {
        Prerequisites.requireMachine();
        lab = new Lab("client");
    }

    @AfterAll
    static void cleanup() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void tunnelbusClientToStockServerPingsAndIperfBothWays() throws Exception {
        Path dist = Prerequisites.requireDistribution();
        CertificateAuthority ca = CertificateAuthority.open(lab.file("pki"), CaPolicy.defaults());
        ca.ensureCa();
        IssuedCertificate server = ca.issueServer("server");
        IssuedCertificate client = ca.issueClient("tbclient");
        Path tc = lab.file("tc.key");
        Cmd.run(Duration.ofSeconds(20), "openvpn", "--genkey", "secret", tc.toString()).check();

        Path serverConf = lab.file("server.conf");
        Files.write(serverConf, List.of(
                "dev tun", "proto udp", "local " + Lab.SERVER_UNDERLAY, "port 1194", "topology subnet",
                "server 10.8.0.0 255.255.255.0", "ca " + ca.caCertificateFile(), "cert " + server.certificateFile(),
                "key " + server.privateKeyFile(), "dh none", "tls-crypt " + tc, "keepalive 10 60", "verb 3"));
        Netns srv = lab.server();
        ManagedProcess stock = srv.start(lab.cleanup(), "stock-server", lab.file("stock-server.log"),
                "openvpn", "--config", serverConf.toString());
        stock.waitForLine(OpenvpnClient.CONNECTED, Duration.ofSeconds(30));

        Path home = lab.file("client-home");
        Files.createDirectories(home.resolve("config"));
        Files.write(home.resolve("config/org.tunnelbus.openvpn.client-e2e.cfg"), List.of(
                "remote = " + Lab.SERVER_UNDERLAY, "port = 1194", "ca = " + ca.caCertificateFile(),
                "cert = " + client.certificateFile(), "key = " + client.privateKeyFile(), "tls.crypt = " + tc,
                "device = tbc0"));
        Netns cns = lab.client(1);
        TunnelbusServer tb = TunnelbusServer.start(lab.cleanup(), cns, dist, home, 9781, lab.file("tunnelbus-client.log"));
        tb.process().waitForLine(Pattern.compile(".*Connected to .*address 10\\.8\\.0\\.2/24.*"), Duration.ofSeconds(60));
        assertTrue(Traffic.waitForPing(cns, "10.8.0.1", Duration.ofSeconds(30)), tb.process().tail(40));

        Traffic.assertPings(cns, "10.8.0.1", 3);
        Traffic.assertPings(srv, "10.8.0.2", 3);
        Traffic.iperfServer(lab.cleanup(), srv, "10.8.0.1", 5201, lab.file("iperf-server.log"));
        assertTrue(Traffic.iperf(cns, "10.8.0.1", 5201, 3, false).bytes() > 0);
        assertTrue(Traffic.iperf(cns, "10.8.0.1", 5201, 3, true).bytes() > 0);
        assertTrue(stock.grep(Pattern.compile("tbclient/.*(Peer Connection Initiated|MULTI_sva)")).size() > 0,
                stock.tail(20));
        tb.close();
    }
}
