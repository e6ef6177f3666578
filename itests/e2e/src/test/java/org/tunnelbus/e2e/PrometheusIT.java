package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tunnelbus.e2e.harness.Cmd;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.ManagedProcess;
import org.tunnelbus.e2e.harness.OpenvpnClient;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.Traffic;
import org.tunnelbus.e2e.harness.TunnelbusServer;

/**
 * Issue 12, metrics: Debian's real {@code prometheus} scrapes Tunnelbus's {@code /metrics} (on the web console's
 * HTTP service, 127.0.0.1 inside the server's namespace) every second while a stock client moves traffic; the
 * test asks Prometheus's HTTP API ({@code /api/v1/query}) for the Tunnelbus series, as a dashboard would.
 */
class PrometheusIT {
    static final int CONSOLE_PORT = 9783;
    static final int PROMETHEUS_PORT = 9091;

    static Lab lab;
    static TunnelbusServer server;

    @BeforeAll
    static void start() throws Exception {
        Path dist = Prerequisites.requireDistribution();
        Prerequisites.requireTools("prometheus", "curl");
        lab = new Lab("prom");
        server = TunnelbusServer.start(lab.cleanup(), lab.server(), dist, lab.file("home"), CONSOLE_PORT, lab.file("tunnelbus.log"));
        server.waitListening(1194, Duration.ofSeconds(120));
        server.setConfig(TunnelbusServer.LISTENER, "public.address", Lab.SERVER_UNDERLAY);
        Path config = lab.file("prometheus.yml");
        Files.write(config, List.of(
                "global:", "  scrape_interval: 1s", "  scrape_timeout: 1s",
                "scrape_configs:", "  - job_name: tunnelbus", "    static_configs:",
                "      - targets: ['127.0.0.1:" + CONSOLE_PORT + "']"));
        Path data = Files.createDirectories(lab.file("prometheus-data"));
        ManagedProcess prometheus = lab.server().start(lab.cleanup(), "prometheus", lab.file("prometheus.log"), "prometheus",
                "--config.file=" + config, "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + PROMETHEUS_PORT);
        prometheus.waitForLine(Pattern.compile("Server is ready to receive web requests"), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void prometheusScrapesTheTunnelbusSeriesWhileAStockClientMovesTraffic() throws Exception {
        Path profile = lab.file("alice.ovpn");
        server.profile("alice", profile);
        OpenvpnClient c = OpenvpnClient.start(lab.cleanup(), lab.client(1), "alice", profile, lab.file("alice.log"));
        c.waitConnected(Duration.ofSeconds(60), server);
        Traffic.PingResult ping = Traffic.ping(c.ns(), "10.8.0.1", 40, 100);
        assertEquals(0, ping.lost(), "pings through the tunnel");

        assertEquals(1.0, waitFor("up{job=\"tunnelbus\"}", v -> v == 1.0), "Prometheus scrapes /metrics");
        assertEquals(1.0, waitFor("tunnelbus_listener_sessions{listener=\"openvpn.default\"}", v -> v == 1.0),
                "one session on the default listener");
        assertEquals(1.0, waitFor("tunnelbus_sessions{state=\"active\"}", v -> v == 1.0));
        assertTrue(waitFor("tunnelbus_handshakes_total{outcome=\"established\"}", v -> v >= 1) >= 1);
        // 40 pings of 84 bytes each way went through both chains
        assertTrue(waitFor("tunnelbus_stage_packets_total{direction=\"incoming\",stage=\"openvpn-decap\"}", v -> v >= 40) >= 40);
        assertTrue(waitFor("tunnelbus_stage_bytes_total{direction=\"outgoing\",stage=\"openvpn-seal\"}", v -> v >= 40 * 84) >= 40 * 84);
        assertTrue(waitFor("tunnelbus_listener_packets_total{listener=\"openvpn.default\",direction=\"out\"}", v -> v >= 40) >= 40);
        assertTrue(waitFor("sum(tunnelbus_drops_total) >= 0", v -> v >= 0) >= 0, "drops by reason are a series");
        assertTrue(waitFor("jvm_memory_used_bytes{area=\"heap\"}", v -> v > 0) > 0, "JVM metrics");
        assertTrue(waitFor("rate(tunnelbus_stage_bytes_total{direction=\"incoming\",stage=\"openvpn-open\"}[10s])", v -> v > 0) > 0,
                "a rate over the last seconds, as a dashboard asks");
    }

    /** Asks Prometheus (inside the namespace) until the first result of {@code query} satisfies {@code ok}; 30 s. */
    private static double waitFor(String query, java.util.function.DoublePredicate ok) {
        long deadline = System.currentTimeMillis() + 30_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            Cmd.Result r = lab.server().run(Duration.ofSeconds(10), "curl", "-s", "--get",
                    "http://127.0.0.1:" + PROMETHEUS_PORT + "/api/v1/query", "--data-urlencode", "query=" + query);
            last = r.output();
            Matcher m = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]").matcher(last);
            if (m.find()) {
                double v = Double.parseDouble(m.group(1));
                if (ok.test(v)) {
                    System.out.println("[e2e] prometheus: " + query + " = " + v);
                    return v;
                }
            }
            Traffic.sleep(1000);
        }
        throw new AssertionError("Prometheus never answered '" + query + "' as expected within 30 s; last answer: " + last);
    }
}
