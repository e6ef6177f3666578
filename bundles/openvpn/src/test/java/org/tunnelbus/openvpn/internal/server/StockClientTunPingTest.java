package org.tunnelbus.openvpn.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real traffic: a stock openvpn 2.6 client with a real TUN device and our server (its own JVM), both inside a
 * network namespace this test creates ({@code tb-ovpn-<random>}, loopback only); the kernel pings the server's
 * tunnel address through the tunnel and the server answers. Needs root, {@code ip}, {@code /dev/net/tun} and
 * openvpn; everything created is removed, also on failure. Skipped otherwise.
 */
class StockClientTunPingTest {
    private String ns;
    private Path dir;
    private Process server;
    private StockClient client;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisite.require(StockClient.available(), "no openvpn binary (apt-get install openvpn)");
        Prerequisite.stockEnabled();
        Prerequisite.require(new File("/dev/net/tun").exists()
                && (new File("/usr/sbin/ip").canExecute() || new File("/sbin/ip").canExecute()), "/dev/net/tun or ip (iproute2)");
        Prerequisite.require("root".equals(System.getProperty("user.name")), "root, for network namespaces");
        ns = "tb-ovpn-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        assertEquals(0, run("ip", "netns", "add", ns));
        assertEquals(0, run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"));
        dir = Files.createTempDirectory("tb-ovpn-tun-");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.getOutputStream().close();
                if (!server.waitFor(10, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (ns != null) {
                run("ip", "netns", "delete", ns);
            }
            ServerHarness.delete(dir);
        }
    }

    @Test
    void pingThroughTheTunnel() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(), dir.toString()));
        server = new ProcessBuilder(cmd).redirectError(dir.resolve("server.log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        assertTrue(ready != null && ready.startsWith("READY "), "server did not start: " + ready + "\n" + serverLog());

        client = StockClient.start(dir, Files.readString(dir.resolve("client.conf")), List.of("ip", "netns", "exec", ns));
        assertTrue(client.await("Initialization Sequence Completed", Duration.ofSeconds(40)),
                "client did not complete:\n" + client.tail(60) + "\nserver:\n" + serverLog());

        ProcessBuilder ping = new ProcessBuilder("ip", "netns", "exec", ns, "ping", "-c", "5", "-i", "0.3", "-W", "2",
                "10.8.0.1").redirectErrorStream(true);
        Process p = ping.start();
        String result = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "ping through the tunnel failed:\n" + result + "\nclient:\n" + client.tail(30)
                + "\nserver:\n" + serverLog());
        assertTrue(result.contains("5 received"), result);

        client.stop(); // SIGTERM: explicit-exit-notify tells the server
        server.getOutputStream().close();
        String stats = out.readLine();
        assertTrue(server.waitFor(15, TimeUnit.SECONDS));
        assertTrue(stats != null && stats.startsWith("ECHOED "), String.valueOf(stats));
        assertTrue(Long.parseLong(stats.split(" ")[1]) >= 5, stats);
        assertTrue(serverLog().contains("disconnected: client exit"), serverLog());
    }

    private String serverLog() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
