package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tunnelbus.e2e.harness.ConsoleBrowser;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.ManagedProcess;
import org.tunnelbus.e2e.harness.OpenvpnClient;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.TunnelbusServer;

/**
 * Issue 12, a real browser: headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven by
 * Selenium logs into the web console with the generated password, sees a stock client's session appear on the
 * Tunnelbus page, opens its details and graph, kicks it (the stock client logs {@code Halt command was pushed by
 * server}), and edits a metatype form value, which the test then finds in the configuration file on disk.
 * Screenshots of each page stay in {@code target/e2e/browser-*}/shots.
 */
class ConsoleBrowserIT {
    static final int CONSOLE_PORT = 9785;

    static Lab lab;
    static TunnelbusServer server;

    @BeforeAll
    static void start() {
        Path dist = Prerequisites.requireDistribution();
        Prerequisites.requireTools("chromium", "chromedriver=chromium-driver");
        lab = new Lab("browser");
        server = TunnelbusServer.start(lab.cleanup(), lab.server(), dist, lab.file("home"), CONSOLE_PORT, lab.file("tunnelbus.log"));
        server.waitListening(1194, Duration.ofSeconds(120));
        server.process().waitForLine(Pattern.compile("Web console: http"), Duration.ofSeconds(60));
        server.setConfig(TunnelbusServer.LISTENER, "public.address", Lab.SERVER_UNDERLAY);
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void anOperatorSeesKicksAndConfiguresInARealBrowser() throws Exception {
        Path profile = lab.file("alice.ovpn");
        server.profile("alice", profile);
        Path shots = lab.file("shots");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ConsoleBrowser.class.getName(),
                "http://127.0.0.1:" + CONSOLE_PORT + "/system/console", server.home().resolve("console.password").toString(),
                shots.toString(), "alice", "org.tunnelbus.handshake", "keepalive.ping", "19"));
        // the browser first, then the client: the page must show the session appear without a reload
        ManagedProcess browser = lab.server().start(lab.cleanup(), "browser", lab.file("browser.log"), command, null);
        browser.waitForLine(Pattern.compile("\\[browser\\] logged in"), Duration.ofSeconds(90));
        OpenvpnClient client = OpenvpnClient.start(lab.cleanup(), lab.client(1), "alice", profile, lab.file("alice.log"));
        client.waitConnected(Duration.ofSeconds(60), server);
        // traffic for the throughput graph: 5 pings a second until the kick
        org.tunnelbus.e2e.harness.Traffic.startPing(lab.cleanup(), lab.client(1), "10.8.0.1", 400, 200, lab.file("ping.log"));

        browser.waitForLine(Pattern.compile("\\[browser\\] (all steps passed|FAILED.*)"), Duration.ofSeconds(240));
        assertTrue(browser.grep(Pattern.compile(".*FAILED.*")).isEmpty(), "browser steps:\n" + browser.tail(40));
        for (String shot : List.of("1-tunnelbus-page", "2-session", "3-details", "4-kicked", "5-config-form", "6-config-saved")) {
            assertTrue(Files.size(shots.resolve(shot + ".png")) > 1000, shot + ".png");
        }
        // the kick told the stock client to stop (HALT), and it says so
        client.process().waitForLine(Pattern.compile(".*Halt command was pushed by server.*"), Duration.ofSeconds(15));
        server.process().waitForLine(Pattern.compile("Client alice \\(.*\\) disconnected: .*"), Duration.ofSeconds(15));
        assertNull(server.statusRow("alice"), server.status());

        Path file = server.config("org.tunnelbus.handshake.cfg");
        assertTrue(org.tunnelbus.e2e.harness.Traffic.waitFor(() -> {
            try {
                return Files.readString(file).contains("keepalive.ping = 19");
            } catch (java.io.IOException e) {
                return false;
            }
        }, Duration.ofSeconds(15)), "the form's value in " + file + ":\n" + Files.readString(file));
        assertEquals(List.of(), server.errors(), "ERROR lines");
    }
}
