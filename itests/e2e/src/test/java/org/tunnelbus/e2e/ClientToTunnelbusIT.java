package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.Netns;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.Traffic;
import org.tunnelbus.e2e.harness.TunnelbusClient;
import org.tunnelbus.e2e.harness.TunnelbusServer;

/**
 * Issue 5, test 2: Tunnelbus client to Tunnelbus server, over UDP and over TCP. Two instances of the
 * distribution, each in its own namespace with its own home: the server's from an empty first start (its default
 * UDP listener, and a TCP listener added live as in {@link TcpServerIT}); each client's home holds only the client
 * configuration made from {@code tunnelbus profile NAME} (the inline ca/cert/key/tls-crypt as files). Each client
 * connects, pings both ways, moves data both ways with iperf3, shows in {@code tunnelbus status}, and when it stops
 * the server sees it leave (UDP: EXIT; TCP: the connection closing). A per-client route changed live reaches a
 * connected client as a PUSH_UPDATE.
 */
class ClientToTunnelbusIT {
    static final String SERVER_TUN = "10.8.0.1";
    static final int IPERF_PORT = 5201;
    static final int IPERF_SECONDS = 3;
    static final int PORT = 1194; // UDP and TCP listeners on the same number

    static Lab lab;
    static Path dist;
    static TunnelbusServer server;

    @BeforeAll
    static void startServer() {
        dist = Prerequisites.requireDistribution();
        lab = new Lab("tb2tb");
        server = TunnelbusServer.start(lab.cleanup(), lab.server(), dist, lab.file("server-home"), 9781,
                lab.file("tunnelbus-server.log"));
        server.waitListening(PORT, Duration.ofSeconds(120));
        server.setConfig(TunnelbusServer.LISTENER, "public.address", Lab.SERVER_UNDERLAY);
        server.setConfig("org.tunnelbus.openvpn.server-tcp.cfg", Map.of(
                "proto", "tcp",
                "port", String.valueOf(PORT),
                "public.address", Lab.SERVER_UNDERLAY,
                "ca", "${tunnelbus.home}/pki/ca.crt",
                "cert", "${tunnelbus.home}/pki/issued/server.crt",
                "key", "${tunnelbus.home}/pki/private/server.key",
                "tls.crypt", "${tunnelbus.home}/pki/tls-crypt.key"));
        server.waitListeningTcp(PORT, Duration.ofSeconds(30));
        Traffic.iperfServer(lab.cleanup(), lab.server(), SERVER_TUN, IPERF_PORT, lab.file("iperf-server.log"));
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    /**
     * Issue 5, server-override mode with PUSH_UPDATE: the Tunnelbus client announces it (IV_PROTO bit 12), so a route
     * added to its per-client configuration while it is connected reaches its device at once, and goes again when the
     * configuration is deleted; the connection stays up throughout.
     */
    @Test
    void aPerClientRouteChangedLiveReachesTheConnectedClientByPushUpdate() {
        String name = "tb-update";
        Path profile = lab.file(name + ".ovpn");
        server.profile(name, profile);
        Map<String, String> config = TunnelbusClient.fromProfile(profile, lab.file(name + "-keys"));
        Netns cns = lab.client(3);
        String cfg = "org.tunnelbus.handshake.client-" + name + ".cfg";
        Pattern route = Pattern.compile("10\\.60\\.0\\.0/24 .*dev " + TunnelbusClient.DEVICE);
        try (TunnelbusClient client = TunnelbusClient.start(lab.cleanup(), cns, dist, lab.file(name + "-home"), 9781,
                lab.file("tunnelbus-" + name + ".log"), config)) {
            client.waitConnected(Duration.ofSeconds(60), cns);
            int mark = client.process().mark();
            server.setConfig(cfg, Map.of("name", name, "push", "route 10.60.0.0 255.255.255.0"));
            assertTrue(Traffic.waitFor(() -> route.matcher(routes(cns)).find(), Duration.ofSeconds(20)),
                    "route from PUSH_UPDATE on the client's device:\n" + routes(cns) + "\n" + client.process().tail(20));
            Traffic.assertPings(cns, SERVER_TUN, 3, server);

            server.deleteConfig(cfg);
            assertTrue(Traffic.waitFor(() -> !route.matcher(routes(cns)).find(), Duration.ofSeconds(20)),
                    "route gone after the configuration was deleted:\n" + routes(cns));
            assertEquals(2, client.process().grep(Pattern.compile(".*PUSH_UPDATE applied.*")).size(),
                    client.process().tail(20));
            assertEquals(List.of(), client.process().linesSince(mark).stream()
                    .filter(l -> TunnelbusClient.CONNECTED.matcher(l).matches()).toList(), "no reconnect");
            Traffic.assertPings(cns, SERVER_TUN, 3, server);
        }
        assertEquals(List.of(), server.errors(), "server ERROR lines");
    }

    private static String routes(Netns ns) {
        return ns.ip("route", "show").output();
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void tunnelbusClientToTunnelbusServerPingsAndIperfBothWays(String proto) throws Exception {
        String name = "tb-" + proto;
        Path profile = lab.file(name + ".ovpn");
        if (proto.equals("tcp")) {
            server.profile(name, profile, "--listener", "tcp");
        } else {
            server.profile(name, profile);
        }
        Map<String, String> config = TunnelbusClient.fromProfile(profile, lab.file(name + "-keys"));
        assertEquals(proto.equals("tcp") ? "tcp-client" : "udp", config.get("proto"), config.toString());

        int n = proto.equals("udp") ? 1 : 2;
        Netns cns = lab.client(n);
        int mark = server.process().mark();
        String address;
        try (TunnelbusClient client = TunnelbusClient.start(lab.cleanup(), cns, dist, lab.file(name + "-home"), 9781,
                lab.file("tunnelbus-" + name + ".log"), config)) {
            address = client.waitConnected(Duration.ofSeconds(60), cns);
            Traffic.assertTunnelCarries("tunnelbus client -> tunnelbus server over " + proto, cns, address,
                    lab.server(), SERVER_TUN, IPERF_PORT, IPERF_SECONDS);
            List<String> row = server.statusRow(name);
            assertNotNull(row, server.status());
            assertTrue(row.get(1).startsWith(Lab.underlay(n) + ":"), row.toString());
            assertEquals(List.of(), client.process().grep(Pattern.compile("^\\S+ \\S+ ERROR ")), "client ERROR lines");
        }
        server.process().waitForLine(Pattern.compile("Client " + name + " \\(.*\\) disconnected.*"),
                Duration.ofSeconds(15), mark);
        assertNull(server.statusRow(name), server.status());
        assertEquals(List.of(), server.errors(), "server ERROR lines");
    }
}
