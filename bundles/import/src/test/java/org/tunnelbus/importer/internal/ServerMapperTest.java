package org.tunnelbus.importer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerMapperTest {
    private static final String DIR = "${tunnelbus.home}/import/server/";
    @TempDir
    Path dir;
    private ImportPlan plan;

    @BeforeEach
    void importStockServer() throws Exception {
        plan = Importer.plan(StockServerFixture.write(dir));
    }

    @Test
    void listener() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("listen", "0.0.0.0");
        expected.put("port", 1194);
        expected.put("proto", "udp");
        expected.put("tls.provider", "bouncycastle");
        expected.put("ca", DIR + "ca.crt");
        expected.put("cert", DIR + "server.crt");
        expected.put("key", DIR + "server.key");
        expected.put("tls.crypt", DIR + "tls-crypt.key");
        expected.put("tls.version.min", "1.2");
        expected.put("auth.required", List.of("cert"));
        expected.put("max.clients", 100);
        assertEquals(expected, props(Pids.LISTENER));
    }

    @Test
    void handshakeDeviceAuthAndRouting() {
        assertEquals(Map.of("server", "10.8.0.0/24", "topology", "subnet",
                "push", List.of("route 192.168.10.0 255.255.255.0", "dhcp-option DNS 10.8.0.1"),
                "keepalive.ping", 10, "keepalive.restart", 120, "data.ciphers", "AES-256-GCM:CHACHA20-POLY1305"),
                props(Pids.HANDSHAKE));
        assertEquals(Map.of("name", "tb%d", "mode", "TUN", "addresses", List.of("10.8.0.1/24")), props(Pids.DEVICE));
        assertEquals(Map.of("require.eku", "TLS Web Client Authentication", "ca", DIR + "ca.crt", "crl", DIR + "crl.pem"),
                props(Pids.AUTH));
        assertEquals(Map.of("client.to.client", true), props(Pids.ROUTING));
    }

    @Test
    void theExactUnsupportedList() {
        List<String> unsupported = plan.report().unsupported().stream()
                .map(e -> e.line() + " " + e.directive()).toList();
        assertEquals(List.of("13 ifconfig-pool-persist /var/log/openvpn/ipp.txt", "51 management 127.0.0.1 7505"),
                unsupported);
        assertFalse(plan.report().allMapped());
    }

    @Test
    void everyDirectiveIsInTheReport() throws Exception {
        List<Directive> all = new OvpnParser("x").parse(java.nio.file.Files.readAllLines(dir.resolve("server.conf")));
        List<Integer> reported = plan.report().entries().stream().map(Report.Entry::line).sorted().toList();
        assertEquals(all.stream().map(Directive::line).toList(), reported);
    }

    @Test
    void notesAreExplicit() {
        String report = plan.report().render("server.conf");
        assertTrue(report.contains("dh dh2048.pem") && report.contains("ignored: not needed; Tunnelbus uses ECDHE"), report);
        assertTrue(report.contains("line  13  ifconfig-pool-persist"), report);
        assertTrue(report.contains("2 directives are unsupported"), report);
    }

    @Test
    void keyMaterialIsCopiedAndSecretsMarked() {
        assertEquals(List.of("ca.crt", "server.crt", "server.key", "tls-crypt.key", "crl.pem"),
                List.copyOf(plan.materials().keySet()));
        assertTrue(plan.materials().get("server.key").secret());
        assertTrue(plan.materials().get("tls-crypt.key").secret());
        assertFalse(plan.materials().get("ca.crt").secret());
        assertTrue(plan.materials().get("tls-crypt.key").content().startsWith("-----BEGIN OpenVPN Static key V1-----\n"));
    }

    private Map<String, Object> props(String file) {
        return plan.configs().get(file).properties();
    }
}
