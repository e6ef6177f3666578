package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.OpenvpnClient;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.TunnelbusServer;

/**
 * Issue 12, stock semantics: a second connection with the same common name replaces the first (stock 2.6 without
 * {@code duplicate-cn}: {@code multi.c multi_delete_dup}), and with {@code duplicate.cn = true} on the listener
 * both stay, as with stock's {@code --duplicate-cn}. Stock clients with one profile, from three namespaces.
 */
class DuplicateCnIT {
    static Lab lab;
    static TunnelbusServer server;

    @BeforeAll
    static void start() {
        Path dist = Prerequisites.requireDistribution();
        lab = new Lab("dupcn");
        server = TunnelbusServer.start(lab.cleanup(), lab.server(), dist, lab.file("home"), 9786, lab.file("tunnelbus.log"));
        server.waitListening(1194, Duration.ofSeconds(120));
        server.setConfig(TunnelbusServer.LISTENER, "public.address", Lab.SERVER_UNDERLAY);
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    private static long rows(String name) {
        return server.status().lines().filter(l -> l.startsWith(name + " ")).count();
    }

    @Test
    void aSecondConnectionOfOneNameReplacesTheFirstUnlessDuplicateCnIsOn() throws Exception {
        Path profile = lab.file("carol.ovpn");
        server.profile("carol", profile);
        OpenvpnClient first = OpenvpnClient.start(lab.cleanup(), lab.client(1), "carol-1", profile, lab.file("carol-1.log"));
        first.waitConnected(Duration.ofSeconds(60), server);
        assertEquals(1, rows("carol"), server.status());

        int mark = server.process().mark();
        OpenvpnClient second = OpenvpnClient.start(lab.cleanup(), lab.client(2), "carol-2", profile, lab.file("carol-2.log"));
        second.waitConnected(Duration.ofSeconds(60), server);
        server.process().waitForLine(Pattern.compile(".*Client carol from " + Pattern.quote(Lab.underlay(2))
                + ":\\d+: the new connection replaces 1 earlier session\\(s\\) of that name.*"), Duration.ofSeconds(10), mark);
        server.process().waitForLine(Pattern.compile(".*Client carol \\(" + Pattern.quote(Lab.underlay(1))
                + ":\\d+\\) disconnected: replaced by a new connection of carol.*"), Duration.ofSeconds(10), mark);
        List<String> row = server.statusRow("carol");
        assertEquals(1, rows("carol"), server.status());
        assertTrue(row.get(1).startsWith(Lab.underlay(2) + ":"), "the newer connection stays: " + row);

        server.setConfig(TunnelbusServer.LISTENER, "duplicate.cn", "true");
        server.process().waitForLine(Pattern.compile(".*OpenVPN server .*server~default.*"), Duration.ofSeconds(20), mark);
        Thread.sleep(2000); // the listener applies the change to new sessions
        OpenvpnClient third = OpenvpnClient.start(lab.cleanup(), lab.client(3), "carol-3", profile, lab.file("carol-3.log"));
        third.waitConnected(Duration.ofSeconds(60), server);
        assertTrue(org.tunnelbus.e2e.harness.Traffic.waitFor(() -> rows("carol") == 2, Duration.ofSeconds(10)),
                "with duplicate.cn both stay:\n" + server.status());
        assertEquals(List.of(), server.errors(), "ERROR lines");
    }
}
