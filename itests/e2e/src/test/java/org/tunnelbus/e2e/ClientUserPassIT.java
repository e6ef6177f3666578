package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.ManagedProcess;
import org.tunnelbus.e2e.harness.Netns;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.Traffic;
import org.tunnelbus.e2e.harness.TunnelbusClient;
import org.tunnelbus.e2e.harness.TunnelbusServer;

/**
 * Issue 5: the Tunnelbus client's {@code auth.user.pass} against a Tunnelbus server with users ({@code tunnelbus
 * user add}, auth-userpass): the right password connects and pings; a wrong one stops the client at AUTH_FAILED
 * without a retry loop; and test 7 (ii): with {@code auth.gen.token} and {@code reneg.sec = 10} on both sides,
 * 150 pings at 200 ms through renegotiations that run on the pushed, renewed token lose nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientUserPassIT {
    static final String SERVER_TUN = "10.8.0.1";
    static final Duration CONNECT = Duration.ofSeconds(60);
    static final String USERPASS = "org.tunnelbus.auth.userpass.cfg";
    static final String PASSWORD = "alice's secret ü";

    static Lab lab;
    static Path dist;
    static TunnelbusServer server;

    @BeforeAll
    static void startServer() {
        dist = Prerequisites.requireDistribution();
        lab = new Lab("tbuserpass");
        server = TunnelbusServer.start(lab.cleanup(), lab.server(), dist, lab.file("server-home"), 9781,
                lab.file("tunnelbus-server.log"));
        server.waitListening(1194, Duration.ofSeconds(120));
        server.setConfig(TunnelbusServer.LISTENER, "public.address", Lab.SERVER_UNDERLAY);
        server.user("add", "alice", PASSWORD);
        int mark = server.process().mark();
        server.setConfig(USERPASS, "users.file", server.home().resolve("users").toString());
        server.process().waitForLine(Pattern.compile("Read users file .*: 1 user\\(s\\)"), Duration.ofSeconds(20), mark);
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void theRightPasswordConnectsAndPings() {
        int mark = server.process().mark();
        try (TunnelbusClient c = client(1, "alice", PASSWORD, Map.of())) {
            c.waitConnected(CONNECT, lab.client(1));
            Traffic.assertPings(lab.client(1), SERVER_TUN, 3, server);
            assertTrue(c.process().lines().stream().noneMatch(l -> l.contains(PASSWORD)), "password in the client log");
        }
        assertTrue(server.process().linesSince(mark).stream().noneMatch(l -> l.contains("Refused client")),
                server.process().tail(20));
    }

    @Test
    @Order(2)
    void aWrongPasswordStopsTheClientAtAuthFailedWithoutRetrying() {
        int mark = server.process().mark();
        try (TunnelbusClient c = client(2, "alice", "not alice's", Map.of("connect.retry", "1", "connect.retry.max", "1"))) {
            String stopped = c.process().waitForLine(Pattern.compile(".*not reconnecting .*AUTH_FAILED.*"), CONNECT).group();
            System.out.println("[e2e] wrong password: " + stopped);
            Traffic.sleep(5_000); // a client that retried (backoff 1 s) would have been refused four more times
            List<String> refusals = server.process().linesSince(mark).stream()
                    .filter(l -> l.contains("Refused client") && l.contains(Lab.underlay(2) + ":")).toList();
            assertEquals(1, refusals.size(), refusals.toString());
            assertTrue(refusals.get(0).contains("wrong password for user 'alice'"), refusals.get(0));
            assertNull(c.process().pollForLine(TunnelbusClient.CONNECTED, Duration.ofMillis(1), 0), "connected anyway");
            assertEquals(1, c.process().grep(Pattern.compile(".*connecting to .*")).size(), "one attempt only");
            assertTrue(c.process().lines().stream().noneMatch(l -> l.contains("not alice's")), "password in the log");
        }
    }

    /** Issue 5 test 7 (ii): renegotiation from both sides every 10 s on the token, 30 s of pings, none lost. */
    @Test
    @Order(3)
    void renegotiationsEvery10sOnTheTokenLoseNoPing() {
        int mark = server.process().mark();
        server.setConfig(TunnelbusServer.LISTENER, Map.of("auth.gen.token", "true", "reneg.sec", "10"));
        server.process().waitForLine(Pattern.compile(".*auth-gen-token.*reneg-sec 10.*"), Duration.ofSeconds(20), mark);
        Netns ns = lab.client(3);
        try (TunnelbusClient c = client(3, "alice", PASSWORD, Map.of("reneg.sec", "10"))) {
            c.waitConnected(CONNECT, ns);
            int clientMark = c.process().mark();
            mark = server.process().mark();
            Map<String, Long> before = server.counters();
            ManagedProcess ping = Traffic.startPing(lab.cleanup(), ns, SERVER_TUN, 150, 200, lab.file("ping-reneg.log"));
            Traffic.PingResult r = Traffic.finish(ping);
            long renegotiations = c.process().linesSince(clientMark).stream().filter(l -> l.contains("renegotiated")).count();
            System.out.println("[e2e] reneg on token: " + r.received() + "/" + r.transmitted() + " pings, client "
                    + "renegotiations " + renegotiations);
            assertEquals(150, r.transmitted(), r.output());
            assertEquals(0, r.lost(), "pings lost" + TunnelbusServer.dropsBetween(before, server.counters()) + ":\n"
                    + r.output());
            assertTrue(renegotiations >= 2, c.process().tail(40));
            assertTrue(server.process().linesSince(mark).stream().noneMatch(l -> l.contains("Refused client")),
                    "the token was refused: " + server.process().tail(30));
            assertEquals(1, c.process().grep(Pattern.compile(".*connecting to .*")).size(), "no reconnection");
            for (ManagedProcess p : List.of(c.process(), server.process())) {
                assertTrue(p.lines().stream().noneMatch(l -> l.contains("SESS_ID_AT_") || l.contains(PASSWORD)),
                        "a token or password was logged by " + p.label());
            }
        }
        assertEquals(List.of(), server.errors(), "server ERROR lines");
    }

    /** A Tunnelbus client in namespace {@code n} with a fresh certificate and an auth.user.pass file. */
    static TunnelbusClient client(int n, String user, String password, Map<String, String> extra) {
        String name = user + "-" + n;
        Path profile = lab.file(name + ".ovpn");
        server.profile(name, profile);
        Map<String, String> config = new HashMap<>(TunnelbusClient.fromProfile(profile, lab.file(name + "-keys")));
        config.put("auth.user.pass", TunnelbusClient.credentials(lab.file(name + ".pass"), user, password));
        config.putAll(extra);
        return TunnelbusClient.start(lab.cleanup(), lab.client(n), dist, lab.file(name + "-home"), 9781,
                lab.file("tunnelbus-" + name + ".log"), config);
    }
}
