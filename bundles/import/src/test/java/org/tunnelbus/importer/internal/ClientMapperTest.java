package org.tunnelbus.importer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientMapperTest {
    private static final String FILE = "org.tunnelbus.openvpn.client-alice.cfg";
    @TempDir
    Path dir;
    private Path ovpn;
    private ImportPlan plan;

    @BeforeEach
    void importStockClient() throws Exception {
        ovpn = StockClientFixture.write(dir, "alice");
        plan = Importer.plan(ovpn);
    }

    @Test
    void oneClientFileWithTheExactContents() {
        assertEquals(List.of(FILE), List.copyOf(plan.configs().keySet()));
        ImportPlan.ConfigFile f = plan.configs().get(FILE);
        String home = "${tunnelbus.home}/import/alice/";
        assertEquals(String.join("\n",
                "# " + Pids.CLIENT_HEADER,
                "# Imported from alice.ovpn by 'tunnelbus import'; see docs/configuration.md.",
                "# Typed values (Felix FileInstall): \"text\", I\"integer\", B\"boolean\", [\"list\", \"items\"].",
                "device = \"tun-client\"",
                "proto = \"udp\"",
                "remote = [\"vpn.example.com\", \"vpn2.example.com 1195\"]",
                "port = I\"1194\"",
                "remote.cert.tls = B\"true\"",
                "verify.x509.name = \"server_Xk2\"",
                "auth = \"SHA512\"",
                "data.ciphers = \"AES-128-GCM:AES-256-GCM\"",
                "reneg.sec = I\"0\"",
                "ca = \"" + home + "ca.crt\"",
                "cert = \"" + home + "client.crt\"",
                "key = \"" + home + "client.key\"",
                "tls.crypt = \"" + home + "tls-crypt.key\"",
                ""), CfgWriter.render(f.header(), f.properties(), "alice.ovpn"));
    }

    @Test
    void theExactUnsupportedList() {
        assertEquals(List.of(
                "16 auth-user-pass: without a file stock prompts for username and password on the console; the "
                        + "client needs them in a file: auth-user-pass FILE (username on line 1, password on line 2)",
                "18 redirect-gateway def1 bypass-dhcp: " + ClientOutcomes.UNSUPPORTED.get("redirect-gateway")),
                plan.report().unsupported().stream().map(e -> e.line() + " " + e.directive() + ": " + e.detail()).toList());
    }

    @Test
    void everyDirectiveIsReportedOnceWithItsOutcome() throws Exception {
        List<Directive> all = new OvpnParser("x").parse(Files.readAllLines(ovpn));
        assertEquals(all.stream().map(Directive::line).toList(),
                plan.report().entries().stream().map(Report.Entry::line).sorted().toList());
        String report = plan.report().render("alice.ovpn");
        assertTrue(report.contains("line   7  nobind") && report.contains("implied: the client sends from a free port"), report);
        assertTrue(report.contains("line  14  cipher AES-128-GCM") && report.contains("ignored, as by OpenVPN 2.6"), report);
        assertTrue(report.contains("line  11  verify-x509-name server_Xk2 name")
                && report.contains(FILE + ": verify.x509.name = server_Xk2"), report);
        assertTrue(report.contains("2 directives are unsupported"), report);
        assertTrue(report.contains("remote += vpn2.example.com 1195"), report);
    }

    @Test
    void keyMaterialIsCopiedAndSecretsMarked() {
        assertEquals(List.of("ca.crt", "client.crt", "client.key", "tls-crypt.key"), List.copyOf(plan.materials().keySet()));
        assertTrue(plan.materials().get("client.key").secret());
        assertTrue(plan.materials().get("tls-crypt.key").secret());
        assertTrue(!plan.materials().get("ca.crt").secret() && !plan.materials().get("client.crt").secret());
    }

    @Test
    void aClientHomeRunsTheClientProfile() {
        assertEquals("client", plan.profile());
    }

    @Test
    void withoutRemoteCertTlsTheKeyUsageIsNotCheckedAsStock() throws Exception {
        ImportPlan p = plan("client\nremote 192.0.2.1\nport 1195\ntls-auth ta.key 1\nauth sha-256\ndev tun7\nremote-cert-tls client\n");
        assertEquals(List.of("remote=192.0.2.1", "port=1195", "tls.auth=${tunnelbus.home}/import/t/tls-auth.key",
                "auth=SHA256", "device=tun7", "remote.cert.tls=false", "tls.auth.direction=1"),
                p.configs().get("org.tunnelbus.openvpn.client-t.cfg").properties().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toList());
        assertEquals(List.of(7), p.report().unsupported().stream().map(Report.Entry::line).toList());
        assertTrue(p.report().render("t.ovpn").contains("No 'remote-cert-tls server'"));
    }

    @Test
    void aSubjectThatIsOnlyACommonNameIsCompared() throws Exception {
        ImportPlan p = plan("client\nremote h 1194 udp\nverify-x509-name CN=vpn\nverify-x509-name \"C=DE, CN=vpn\"\n"
                + "remote h2 443 tcp\nproto tcp-client\n");
        assertEquals("vpn", p.configs().get("org.tunnelbus.openvpn.client-t.cfg").properties().get("verify.x509.name"));
        assertEquals(List.of(4, 5), p.report().unsupported().stream().map(Report.Entry::line).toList());
        assertEquals("udp", p.configs().get("org.tunnelbus.openvpn.client-t.cfg").properties().get("proto"),
                "the remote's own protocol wins over --proto");
    }

    @Test
    void tcpProfilesMapToTheTcpClient() throws Exception {
        ImportPlan p = plan("client\nproto tcp-client\nremote h 443\n");
        assertEquals("tcp", p.configs().get("org.tunnelbus.openvpn.client-t.cfg").properties().get("proto"));
        assertEquals(List.of(), p.report().unsupported());
        ImportPlan q = plan("client\nremote h 1194 udp6\n");
        assertEquals(List.of(2), q.report().unsupported().stream().map(Report.Entry::line).toList());
    }

    @Test
    void credentialsFromAFileOrAnInlineBlockAreCopiedAsSecrets() throws Exception {
        Files.writeString(dir.resolve("up.txt"), "alice\ns3cret\n");
        for (String profile : new String[] {"client\nremote h\nauth-user-pass up.txt\nauth-retry none\n",
            "client\nremote h\n<auth-user-pass>\nalice\ns3cret\n</auth-user-pass>\nauth-retry none\n"}) {
            ImportPlan p = plan(profile);
            assertEquals("${tunnelbus.home}/import/t/auth-user-pass.txt",
                    p.configs().get("org.tunnelbus.openvpn.client-t.cfg").properties().get("auth.user.pass"));
            assertTrue(p.materials().get("auth-user-pass.txt").secret(), "mode 0600");
            assertTrue(p.report().unsupported().isEmpty(), profile);
        }
    }

    @Test
    void promptsAndRetriesStayUnsupported() throws Exception {
        Files.writeString(dir.resolve("user-only.txt"), "alice\n");
        ImportPlan p = plan("client\nremote h\nauth-user-pass username-only\nauth-user-pass user-only.txt\n"
                + "auth-retry interact\n");
        assertEquals(List.of(3, 4, 5), p.report().unsupported().stream().map(Report.Entry::line).toList());
        assertTrue(p.report().unsupported().get(1).detail().contains("no password (line 2)"));
        assertTrue(p.report().unsupported().get(2).detail().contains("auth-retry none"));
    }

    private ImportPlan plan(String text) throws Exception {
        Path t = dir.resolve("t.ovpn");
        Files.writeString(t, text);
        Files.writeString(dir.resolve("ta.key"), StockServerFixture.staticKey());
        return Importer.plan(t);
    }
}
