package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tunnelbus.e2e.harness.Cmd;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.ManagedProcess;
import org.tunnelbus.e2e.harness.ManagementSession;
import org.tunnelbus.e2e.harness.OpenvpnClient;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.Shapes;
import org.tunnelbus.e2e.harness.TunnelbusServer;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;
import org.tunnelbus.pki.internal.ClientProfile;

/**
 * Issue 12: the stock OpenVPN 2.6 management protocol, side by side. A stock 2.6 server ({@code --management
 * SOCKET unix}, with {@code --management-client-auth} so that it also reports disconnects; the test approves each
 * client) and Tunnelbus run in the same namespace, each with a stock client named alice. The same command
 * transcript goes to both management sockets and every answer is compared field by field (numbers, times and
 * addresses by their shape, everything else word for word); the {@code >CLIENT:} notifications by their ENV
 * variables. Then loopback TCP with a password file, against a second stock server.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class StockManagementIT {
    static final Duration T = Duration.ofSeconds(20);

    static Lab lab;
    static TunnelbusServer tunnelbus;
    static ManagedProcess stock;
    static ManagementSession stockMgmt;
    static ManagementSession tbMgmt;

    @BeforeAll
    static void start() throws Exception {
        Path dist = Prerequisites.requireDistribution();
        Prerequisites.requireTools("python3");
        lab = new Lab("mgmt");
        tunnelbus = TunnelbusServer.start(lab.cleanup(), lab.server(), dist, lab.file("home"), 9782, lab.file("tunnelbus.log"));
        tunnelbus.waitListening(1194, Duration.ofSeconds(120));
        tunnelbus.setConfig(TunnelbusServer.LISTENER, "public.address", Lab.SERVER_UNDERLAY);

        Path pki = lab.file("stock-pki");
        CertificateAuthority ca = CertificateAuthority.open(pki, CaPolicy.defaults());
        ca.ensureCa();
        IssuedCertificate server = ca.issueServer("server");
        Path tc = lab.file("stock-tc.key");
        Cmd.run(T, "openvpn", "--genkey", "secret", tc.toString()).check();
        Path conf = lab.file("stock-server.conf");
        Files.write(conf, List.of("dev tun", "proto udp", "local " + Lab.SERVER_UNDERLAY, "port 1195", "topology subnet",
                "server 10.9.0.0 255.255.255.0", "ca " + ca.caCertificateFile(), "cert " + server.certificateFile(),
                "key " + server.privateKeyFile(), "dh none", "tls-crypt " + tc, "keepalive 10 60", "verb 3",
                "management " + lab.file("stock-management.sock") + " unix", "management-client-auth",
                "auth-user-pass-optional"));
        stock = lab.server().start(lab.cleanup(), "stock-server", lab.file("stock-server.log"), "openvpn", "--config",
                conf.toString());
        stock.waitForLine(OpenvpnClient.CONNECTED, Duration.ofSeconds(30));
        stockMgmt = ManagementSession.connect("stock", lab.file("stock-management.sock"), T);
        tbMgmt = ManagementSession.connect("tunnelbus", tunnelbus.home().resolve("run/openvpn-management.sock"),
                Duration.ofSeconds(60));
        assertEquals(stockMgmt.banner(T), tbMgmt.banner(T), "the banner");

        String key = Files.readString(tc);
        Path stockProfile = lab.file("alice-stock.ovpn");
        Files.writeString(stockProfile, new ClientProfile(ca.issueClient("alice"), Lab.SERVER_UNDERLAY, 1195, "udp",
                "server", key.substring(key.indexOf("-----BEGIN")), null, null, List.of("stock side")).format());
        OpenvpnClient.start(lab.cleanup(), lab.client(1), "alice-stock", stockProfile, lab.file("alice-stock.log"));
        String connect = stockMgmt.waitNotification(l -> l.startsWith(">CLIENT:CONNECT,"), Duration.ofSeconds(40));
        String[] ids = connect.substring(">CLIENT:CONNECT,".length()).split(",");
        assertEquals(List.of("SUCCESS: client-auth command succeeded"),
                stockMgmt.command("client-auth-nt " + ids[0] + " " + ids[1], T));

        Path tbProfile = lab.file("alice-tunnelbus.ovpn");
        tunnelbus.profile("alice", tbProfile);
        OpenvpnClient.start(lab.cleanup(), lab.client(2), "alice-tunnelbus", tbProfile, lab.file("alice-tunnelbus.log"))
                .waitConnected(Duration.ofSeconds(60), tunnelbus);
    }

    @AfterAll
    static void stop() {
        for (ManagementSession m : new ManagementSession[] {stockMgmt, tbMgmt}) {
            if (m != null) {
                System.out.println("[e2e] management transcript:\n  " + String.join("\n  ", m.transcript()));
                m.close();
            }
        }
        if (lab != null) {
            lab.close();
        }
    }

    /** Sends {@code command} to both and compares the answers through {@code shape}. */
    private static void same(String command, Function<List<String>, List<String>> shape) {
        List<String> s = stockMgmt.command(command, T);
        List<String> t = tbMgmt.command(command, T);
        assertEquals(shape.apply(s), shape.apply(t), "'" + command + "'\n stock:     " + s + "\n tunnelbus: " + t);
    }

    private static List<String> exact(List<String> lines) {
        return lines;
    }

    @Test
    void test1_theSameTranscriptGetsAnswersOfTheSameShape() {
        // both clients are connected (and alice approved on the stock side): the ESTABLISHED notifications came
        List<String> stockEstablished = stockMgmt.clientBlock(">CLIENT:ESTABLISHED,", T);
        List<String> tbEstablished = tbMgmt.clientBlock(">CLIENT:ESTABLISHED,", T);
        compareEnv("ESTABLISHED", stockEstablished, tbEstablished, Lab.underlay(1), Lab.underlay(2));
        assertEquals(Shapes.line(stockMgmt.waitNotification(l -> l.startsWith(">CLIENT:ADDRESS,"), T), ","),
                Shapes.line(tbMgmt.waitNotification(l -> l.startsWith(">CLIENT:ADDRESS,"), T), ","), ">CLIENT:ADDRESS");

        List<String> v = tbMgmt.command("version", T);
        assertTrue(v.get(0).startsWith("OpenVPN Version: OpenVPN 2.6"), v.toString());
        same("version", l -> l.subList(1, l.size()));
        same("help", StockManagementIT::helpCommands);
        for (String status : List.of("status", "status 1", "status 2", "status 3")) {
            same(status, l -> Shapes.lines(l.stream().filter(x -> !x.startsWith("TITLE")).toList()));
        }
        same("load-stats", l -> l.stream().map(Shapes::numbers).toList());
        same("state", Shapes::lines);
        same("state all", Shapes::lines);
        same("hold", StockManagementIT::exact);
        same("hold on", StockManagementIT::exact);
        same("hold off", StockManagementIT::exact);
        same("hold release", StockManagementIT::exact);
        same("log 2", l -> l.stream().map(x -> x.equals("END") ? x : x.replaceAll("^\\d+,[FNWID]*,.+$", "TIME,FLAGS,TEXT")).toList());
        same("pid", l -> l.stream().map(Shapes::numbers).toList());
        for (String error : List.of("kill nobody", "kill 1.2.3.4:5", "client-kill 99999", "signal SIGFOO", "foo",
                "status 4", "kill", "log")) {
            same(error, StockManagementIT::exact);
        }
        same("bytecount 1", StockManagementIT::exact);
        assertEquals(Shapes.numbers(stockMgmt.waitNotification(l -> l.startsWith(">BYTECOUNT_CLI:"), T)),
                Shapes.numbers(tbMgmt.waitNotification(l -> l.startsWith(">BYTECOUNT_CLI:"), T)), ">BYTECOUNT_CLI");
        same("bytecount 0", StockManagementIT::exact);
    }

    @Test
    void test2_killByCommonNameEndsTheSessionAndReportsItsDisconnect() {
        same("kill alice", StockManagementIT::exact);
        List<String> s = stockMgmt.clientBlock(">CLIENT:DISCONNECT,", T);
        List<String> t = tbMgmt.clientBlock(">CLIENT:DISCONNECT,", T);
        compareEnv("DISCONNECT", s, t, Lab.underlay(1), Lab.underlay(2));
        assertTrue(tunnelbus.statusRow("alice") == null, tunnelbus.status());
        same("status 2", l -> Shapes.lines(l.stream().filter(x -> !x.startsWith("TITLE")).toList()));
    }

    @Test
    void test3_tcpWithAPasswordFileAsksAndChecksItAsStock() throws Exception {
        Path pw = lab.file("management.pw");
        Files.writeString(pw, "s3cret\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        tunnelbus.setConfig("org.tunnelbus.management.openvpn.cfg", Map.of("tcp.port", "7505", "password.file", pw.toString()));
        Path conf = lab.file("stock-tcp.conf");
        Files.write(conf, List.of("dev null", "ifconfig-noexec", "proto udp", "local " + Lab.SERVER_UNDERLAY, "port 1196",
                "secret " + lab.file("stock-tc.key"), "cipher AES-256-CBC", "verb 3", "management 127.0.0.1 7506 " + pw));
        ManagedProcess stockTcp = lab.server().start(lab.cleanup(), "stock-tcp", lab.file("stock-tcp.log"), "openvpn",
                "--config", conf.toString());
        stockTcp.waitForLine(java.util.regex.Pattern.compile("MANAGEMENT: TCP Socket listening"), T);
        tunnelbus.process().waitForLine(java.util.regex.Pattern.compile("OpenVPN management interface on .*tcp:127.0.0.1:7505"), T);
        String stockSays = passwordDialog(7506);
        String tbSays = passwordDialog(7505);
        assertEquals(stockSays.replaceAll("pid=\\d+", "pid=N"), tbSays.replaceAll("pid=\\d+", "pid=N"));
        assertTrue(tbSays.startsWith("ENTER PASSWORD:ENTER PASSWORD:SUCCESS: password is correct\r\n"), tbSays);
    }

    /** A wrong password, the right one, {@code pid}, {@code quit}, from inside the namespace; what came back. */
    private static String passwordDialog(int port) {
        String script = String.join("\n",
                "import socket, time",
                "s = socket.create_connection(('127.0.0.1', " + port + "))",
                "s.settimeout(3)",
                "out = b''",
                "for line in [b'wrong', b's3cret', b'pid', b'quit']:",
                "    time.sleep(0.7)",
                "    s.sendall(line + bytes([10]))",
                "time.sleep(0.7)",
                "try:",
                "    while True:",
                "        d = s.recv(65536)",
                "        if not d: break",
                "        out += d",
                "except socket.timeout:",
                "    pass",
                "print(out.hex())", "");
        Cmd.Result r = lab.server().run(T, "python3", "-c", script);
        return new String(java.util.HexFormat.of().parseHex(r.check().output().strip()), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Stock's help commands (the text before {@code ": "}, without continuation lines), in order. */
    private static List<String> helpCommands(List<String> help) {
        List<String> out = new ArrayList<>();
        out.add(help.get(0).replaceAll("for OpenVPN 2\\.6.*", "for OpenVPN 2.6"));
        for (String l : help.subList(1, help.size())) {
            if (!l.startsWith(" ")) {
                out.add(l.contains(": ") ? l.split("\\s*: ", 2)[0].replaceAll("\\s+", " ") : l);
            }
        }
        return out;
    }

    /**
     * The ENV variables of a {@code >CLIENT:} notification: every variable Tunnelbus sends, stock sends too, in the
     * same order; the ones that say who and where the client is are there on both sides with values of the same
     * meaning; the client's own {@code IV_*} variables are identical (the same stock client on both).
     */
    private static void compareEnv(String kind, List<String> stock, List<String> tb, String stockClient, String tbClient) {
        assertEquals(Shapes.numbers(stock.get(0)), Shapes.numbers(tb.get(0)), kind + " head");
        Map<String, String> s = env(stock);
        Map<String, String> t = env(tb);
        List<String> stockOrder = new ArrayList<>(s.keySet());
        List<String> tbOrder = new ArrayList<>(t.keySet());
        assertTrue(stockOrder.containsAll(tbOrder), kind + ": Tunnelbus sends variables stock does not: "
                + tbOrder.stream().filter(k -> !s.containsKey(k)).toList());
        assertEquals(stockOrder.stream().filter(t::containsKey).filter(k -> !k.startsWith("IV_")).toList(),
                tbOrder.stream().filter(k -> !k.startsWith("IV_")).toList(), kind + ": order of the common variables");
        List<String> required = new ArrayList<>(List.of("trusted_ip", "trusted_port", "untrusted_ip", "untrusted_port",
                "common_name", "ifconfig_pool_remote_ip", "ifconfig_pool_netmask", "time_unix", "time_ascii",
                "ifconfig_local", "ifconfig_netmask", "daemon_pid", "daemon_start_time", "script_context"));
        required.addAll(kind.equals("ESTABLISHED") ? List.of("n_clients") : List.of("time_duration", "bytes_sent", "bytes_received"));
        for (String k : required) {
            assertTrue(s.containsKey(k) && t.containsKey(k), kind + ": " + k + " missing: stock " + s + "\n tunnelbus " + t);
            assertEquals(Shapes.field(s.get(k)), Shapes.field(t.get(k)), kind + ": shape of " + k);
        }
        for (String same : List.of("common_name", "ifconfig_pool_netmask", "ifconfig_netmask", "script_context", "daemon",
                "daemon_log_redirect", "n_clients")) {
            assertEquals(s.get(same), t.get(same), kind + ": " + same);
        }
        assertEquals(stockClient, s.get("trusted_ip"));
        assertEquals(tbClient, t.get("trusted_ip"), kind + ": trusted_ip is where the client talks from");
        assertTrue(t.get("ifconfig_pool_remote_ip").startsWith("10.8.0."), t.toString());
        if (kind.equals("ESTABLISHED")) {
            Map<String, String> stockIv = new LinkedHashMap<>(s);
            stockIv.keySet().removeIf(k -> !k.startsWith("IV_"));
            Map<String, String> tbIv = new LinkedHashMap<>(t);
            tbIv.keySet().removeIf(k -> !k.startsWith("IV_"));
            assertEquals(stockIv, tbIv, "the client's IV_ variables");
        }
    }

    private static Map<String, String> env(List<String> block) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String e : block.subList(1, block.size())) {
            int eq = e.indexOf('=');
            m.put(e.substring(0, eq), e.substring(eq + 1));
        }
        return m;
    }
}
