package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tunnelbus.e2e.harness.Cmd;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.OpenvpnClient;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.TunnelbusServer;

/**
 * Issue 12, the command line: {@code tunnelbus kill NAME} ends NAME's session and the stock client is told to stop
 * (it logs {@code Halt command was pushed by server}); {@code tunnelbus revoke NAME} puts NAME's certificate on the
 * CRL, which the running server reads at the next connect, ends NAME's session, and NAME is refused from then on.
 */
class KillAndRevokeIT {
    static Lab lab;
    static TunnelbusServer server;

    @BeforeAll
    static void start() {
        Path dist = Prerequisites.requireDistribution();
        lab = new Lab("revoke");
        server = TunnelbusServer.start(lab.cleanup(), lab.server(), dist, lab.file("home"), 9787, lab.file("tunnelbus.log"));
        server.waitListening(1194, Duration.ofSeconds(120));
        server.setConfig(TunnelbusServer.LISTENER, "public.address", Lab.SERVER_UNDERLAY);
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    private static OpenvpnClient connect(int ns, String name, Path profile, String label) {
        OpenvpnClient c = OpenvpnClient.start(lab.cleanup(), lab.client(ns), label, profile, lab.file(label + ".log"));
        c.waitConnected(Duration.ofSeconds(60), server);
        return c;
    }

    @Test
    void killTellsTheClientToStopAndRevokeRefusesItFromThenOn() throws Exception {
        Path bob = lab.file("bob.ovpn");
        server.profile("bob", bob);
        OpenvpnClient b = connect(1, "bob", bob, "bob");
        Cmd.Result kill = server.tool("kill", "bob");
        assertEquals("killed 1 session(s) of bob", kill.check().output().strip());
        b.process().waitForLine(Pattern.compile(".*Halt command was pushed by server.*"), Duration.ofSeconds(15));
        assertTrue(org.tunnelbus.e2e.harness.Traffic.waitFor(() -> server.statusRow("bob") == null, Duration.ofSeconds(10)),
                server.status());
        Cmd.Result nobody = server.tool("kill", "nobody");
        assertEquals(1, nobody.exit(), nobody.output());

        Path alice = lab.file("alice.ovpn");
        server.profile("alice", alice);
        OpenvpnClient a = connect(2, "alice", alice, "alice");
        int mark = server.process().mark();
        Cmd.Result revoke = server.tool("revoke", "alice");
        assertEquals(0, revoke.exit(), revoke.output());
        assertTrue(revoke.output().contains("Revoked alice (serial "), revoke.output());
        assertTrue(revoke.output().contains("killed 1 session(s) of alice"), revoke.output());
        a.process().waitForLine(Pattern.compile(".*Halt command was pushed by server.*"), Duration.ofSeconds(15));
        assertTrue(org.tunnelbus.e2e.harness.Traffic.waitFor(() -> server.statusRow("alice") == null, Duration.ofSeconds(10)),
                server.status());

        OpenvpnClient again = OpenvpnClient.start(lab.cleanup(), lab.client(3), "alice-again", alice, lab.file("alice-again.log"));
        server.process().waitForLine(Pattern.compile(".*Refused client .*alice.* revoked.*"), Duration.ofSeconds(40), mark);
        assertNull(server.statusRow("alice"), "a revoked client is not let in again:\n" + server.status());
        again.close();
    }
}
