package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.Netns;
import org.tunnelbus.e2e.harness.OpenvpnClient;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.Traffic;
import org.tunnelbus.e2e.harness.TunnelbusServer;

/**
 * Issue 5, test 6 (server-override mode): a per-client configuration ({@code org.tunnelbus.handshake.client-NAME.cfg},
 * the {@code client-config-dir} equivalent) added while the server runs gives that client a fixed address and an
 * extra pushed route at its next connect; before it, the client had a pool address and no such route. A change made
 * while a stock client is connected reaches it after its next renegotiation.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientOverrideIT {
    static final Duration CONNECT = Duration.ofSeconds(60);
    static Lab lab;
    static TunnelbusServer server;

    @BeforeAll
    static void startServer() {
        Path dist = Prerequisites.requireDistribution();
        lab = new Lab("override");
        server = TunnelbusServer.start(lab.cleanup(), lab.server(), dist, lab.file("home"), 9780, lab.file("tunnelbus.log"));
        server.waitListening(1194, Duration.ofSeconds(120));
        server.setConfig(TunnelbusServer.LISTENER, "public.address", Lab.SERVER_UNDERLAY);
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void aPerClientConfigurationAddedLiveAppliesAtTheNextConnect() {
        Path profile = lab.file("carol.ovpn");
        server.profile("carol", profile);
        Netns ns = lab.client(1);

        OpenvpnClient before = OpenvpnClient.start(lab.cleanup(), ns, "openvpn-carol-1", profile, lab.file("client-carol-1.log"));
        assertEquals("10.8.0.2", before.waitConnected(CONNECT, server), "a pool address before the override");
        assertFalse(routes(ns).contains("10.20.0.0/16"), routes(ns));
        before.close();

        int mark = server.process().mark();
        Map<String, String> override = new LinkedHashMap<>();
        override.put("name", "carol");
        override.put("address", "10.8.0.77");
        override.put("push", "route 10.20.0.0 255.255.0.0");
        server.setConfig("org.tunnelbus.handshake.client-carol.cfg", override);
        server.process().waitForLine(Pattern.compile("Per-client configuration for carol: address 10\\.8\\.0\\.77"),
                Duration.ofSeconds(20), mark);

        OpenvpnClient after = OpenvpnClient.start(lab.cleanup(), ns, "openvpn-carol-2", profile, lab.file("client-carol-2.log"));
        assertEquals("10.8.0.77", after.waitConnected(CONNECT, server), "the fixed address of the override");
        String r = routes(ns);
        assertTrue(Pattern.compile("10\\.20\\.0\\.0/16 via 10\\.8\\.0\\.1 dev tun0").matcher(r).find(),
                "the extra pushed route is installed by the stock client:\n" + r);
        Traffic.assertPings(ns, "10.8.0.1", 3, server);
        Traffic.assertPings(lab.server(), "10.8.0.77", 3, server);
        assertTrue(server.statusRow("carol").contains("10.8.0.77/24") || server.status().contains("10.8.0.77"), server.status());
        after.close();
        assertTrue(server.errors().isEmpty(), server.errors().toString());
    }

    /**
     * Issue 5, server-override mode for a connected stock 2.6 client: it cannot take PUSH_UPDATE (a 2.7 message), so a
     * per-client change made while it is connected reaches it through a reconnect the server asks for (RESTART) as soon
     * as its next renegotiation is done; it comes back with the new fixed address and route.
     */
    @Test
    @Order(2)
    void aChangeForAConnectedStockClientReachesItAfterItsNextRenegotiation() {
        Path profile = lab.file("erin.ovpn");
        server.profile("erin", profile);
        Netns ns = lab.client(3);
        OpenvpnClient erin = OpenvpnClient.start(lab.cleanup(), ns, "openvpn-erin", profile, lab.file("client-erin.log"),
                "--reneg-sec", "10");
        String pool = erin.waitConnected(CONNECT, server);
        assertNotEquals("10.8.0.78", pool);

        int serverMark = server.process().mark();
        int clientMark = erin.process().mark();
        Map<String, String> override = new LinkedHashMap<>();
        override.put("name", "erin");
        override.put("address", "10.8.0.78");
        override.put("push", "route 10.21.0.0 255.255.0.0");
        server.setConfig("org.tunnelbus.handshake.client-erin.cfg", override);
        server.process().waitForLine(Pattern.compile("Client erin \\(.*\\): configuration changed \\(its fixed address is "
                + "now 10\\.8\\.0\\.78.*reconnects after its next renegotiation"), Duration.ofSeconds(20), serverMark);
        erin.process().waitForLine(Pattern.compile("SIGUSR1\\[soft,server-pushed-connection-reset\\]"), Duration.ofSeconds(40),
                clientMark);
        erin.process().waitForLine(OpenvpnClient.CONNECTED, CONNECT, clientMark);
        assertTrue(Traffic.waitFor(() -> "10.8.0.78".equals(ns.ipv4Of("tun0")), Duration.ofSeconds(10)),
                "the new fixed address on tun0: " + ns.ipv4Of("tun0"));
        String r = routes(ns);
        assertTrue(Pattern.compile("10\\.21\\.0\\.0/16 via 10\\.8\\.0\\.1 dev tun0").matcher(r).find(), r);
        Traffic.assertPings(ns, "10.8.0.1", 3, server);
        erin.close();
        assertTrue(server.errors().isEmpty(), server.errors().toString());
    }

    /** Issue 4 (explicit-exit-notify): a server that stops tells its clients to reconnect instead of leaving them to time out. */
    @Test
    @Order(3)
    void stoppingTheServerTellsConnectedClientsToReconnect() {
        Path profile = lab.file("dave.ovpn");
        server.profile("dave", profile);
        OpenvpnClient dave = OpenvpnClient.start(lab.cleanup(), lab.client(2), "openvpn-dave", profile, lab.file("client-dave.log"));
        dave.waitConnected(CONNECT, server);
        int mark = dave.process().mark();
        assertEquals(143, server.process().stop(Duration.ofSeconds(20)), "SIGTERM ends the server with 143");
        dave.process().waitForLine(Pattern.compile("SIGUSR1\\[soft,server-pushed-connection-reset\\]"), Duration.ofSeconds(10), mark);
        dave.close();
    }

    private static String routes(Netns ns) {
        return ns.ip("route", "show").output();
    }
}
