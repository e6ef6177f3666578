package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tunnelbus.e2e.harness.Cmd;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.ManagedProcess;
import org.tunnelbus.e2e.harness.OpenvpnClient;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.Soft;
import org.tunnelbus.e2e.harness.Traffic;
import org.tunnelbus.e2e.harness.TunnelbusServer;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;

/**
 * Issue 4, tests 3 (the SSL module switched by a configuration file under traffic) and 5 (refusals), against a
 * Tunnelbus server of their own (fresh home and namespaces): both change the server's configuration and CRL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwapAndRefusalIT {
    static final String SERVER_TUN = "10.8.0.1";
    static final Duration CONNECT = Duration.ofSeconds(60);

    static Lab lab;
    static TunnelbusServer server;
    /** Client 1, connected for the whole class: it must keep working through everything below. */
    static OpenvpnClient steady;

    @BeforeAll
    static void startServer() {
        Path dist = Prerequisites.requireDistribution();
        lab = new Lab("swap");
        server = TunnelbusServer.start(lab.cleanup(), lab.server(), dist, lab.file("home"), 9780, lab.file("tunnelbus.log"));
        server.waitListening(1194, Duration.ofSeconds(120));
        server.setConfig(TunnelbusServer.LISTENER, "public.address", Lab.SERVER_UNDERLAY);
        steady = connect(1, "steady", profile("steady"));
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    static Path profile(String name, String... args) {
        Path p = lab.file(name + ".ovpn");
        server.profile(name, p, args);
        return p;
    }

    static OpenvpnClient start(int i, String name, Path profile, String... extra) {
        return OpenvpnClient.start(lab.cleanup(), lab.client(i), "openvpn-" + name, profile,
                lab.file("client-" + name + ".log"), extra);
    }

    static OpenvpnClient connect(int i, String name, Path profile, String... extra) {
        OpenvpnClient c = start(i, name, profile, extra);
        c.waitConnected(CONNECT, server);
        return c;
    }

    /** The server's "Client NAME connected ..." line after {@code mark}. */
    static String connectedLine(String name, int mark) {
        return server.process().waitForLine(Pattern.compile("Client " + Pattern.quote(name) + " connected .*"),
                Duration.ofSeconds(10), mark).group();
    }

    @Test
    @Order(3)
    void test3_sslModuleSwitchedToJsseByAConfigurationFileWhileClient1KeepsPinging() {
        // client 1 pings through the whole switch: 25 s, 5 per second
        Map<String, Long> countersBefore = server.counters();
        ManagedProcess ping = Traffic.startPing(lab.cleanup(), steady.ns(), SERVER_TUN, 125, 200, lab.file("ping-steady-3.log"));
        Traffic.sleep(2000);

        int mark = server.process().mark();
        server.setConfig(TunnelbusServer.LISTENER, "tls.provider", "jsse");
        // the listener applies it (FileInstall polls every second)
        server.process().waitForLine(Pattern.compile("(?i)org\\.tunnelbus\\.openvpn.*(jsse)|tls.provider.*jsse|TLS provider.*jsse"),
                Duration.ofSeconds(20), mark);

        int before = server.process().mark();
        OpenvpnClient two = connect(2, "via-jsse", profile("via-jsse"));
        String line = connectedLine("via-jsse", before);
        assertTrue(line.contains("jsse") && !line.contains("bouncycastle"), "client 2 was not served by JSSE: " + line);
        List<String> row = server.statusRow("via-jsse"); // tunnelbus status names the SSL module of each session
        assertTrue(row != null && row.contains("jsse") && !row.contains("bouncycastle"), server.status());
        Traffic.assertPings(two.ns(), SERVER_TUN, 3, server);
        two.close();

        // and back
        mark = server.process().mark();
        server.setConfig(TunnelbusServer.LISTENER, "tls.provider", "bouncycastle");
        server.process().waitForLine(Pattern.compile("(?i)org\\.tunnelbus\\.openvpn.*bouncycastle|tls.provider.*bouncycastle|TLS provider.*bouncycastle"),
                Duration.ofSeconds(20), mark);
        before = server.process().mark();
        OpenvpnClient three = connect(3, "via-bc", profile("via-bc"));
        line = connectedLine("via-bc", before);
        assertTrue(line.contains("bouncycastle"), "client 3 was not served by Bouncy Castle: " + line);
        three.close();

        Traffic.PingResult r = Traffic.finish(ping);
        assertEquals(125, r.transmitted(), r.output());
        assertEquals(0, r.lost(), "client 1 lost pings while the SSL module was switched"
                + TunnelbusServer.dropsBetween(countersBefore, server.counters()) + ":\n" + r.output());
        assertTrue(steady.process().isAlive());
    }

    @Test
    @Order(5)
    void test5_refusalsAreLoggedWithTheirReasonAndTheServerKeepsServingTheOthers() throws Exception {
        Soft soft = new Soft();
        Map<String, Long> before = server.counters();
        ManagedProcess ping = Traffic.startPing(lab.cleanup(), steady.ns(), SERVER_TUN, 150, 200, lab.file("ping-steady-5.log"));

        // (a) a client certificate from another CA (the profile trusts the right server CA: only the client is wrong)
        CertificateAuthority other = CertificateAuthority.open(lab.file("other-ca"),
                new CaPolicy("Other CA", Duration.ofDays(30), Duration.ofDays(10), Duration.ofDays(10),
                        java.time.Clock.systemUTC()));
        other.ensureCa();
        IssuedCertificate mallory = other.issueClient("mallory");
        String base = Files.readString(profile("mallory-base"));
        Path foreign = lab.file("mallory.ovpn");
        Files.writeString(foreign, replaceBlock(replaceBlock(base, "cert", mallory.certificatePem()), "key",
                mallory.privateKeyPem()));
        int mark = server.process().mark();
        OpenvpnClient a = start(4, "mallory", foreign);
        String refusedA = server.process().waitForLine(Pattern.compile("Refused client .*"), Duration.ofSeconds(30), mark).group();
        System.out.println("[e2e] foreign CA: " + refusedA);
        int markA = mark;
        soft.check("(a) foreign CA: one log line", () -> assertOneLine(Lab.underlay(4), markA));
        assertTrue(refusedA.contains("Other CA") || refusedA.toLowerCase().contains("ca"), refusedA);
        assertNull(a.process().pollForLine(OpenvpnClient.CONNECTED, Duration.ofSeconds(3), 0), "mallory got connected");
        a.close();

        // (b) a revoked certificate: bob connects, is revoked while the server runs (the CRL file is rewritten), and is
        // refused on the next connection
        Path bobProfile = profile("bob");
        OpenvpnClient bob = connect(5, "bob", bobProfile);
        bob.close();
        CertificateAuthority ours = CertificateAuthority.open(server.home().resolve("pki"), CaPolicy.defaults());
        ours.revoke("bob");
        mark = server.process().mark();
        OpenvpnClient bob2 = start(5, "bob-again", bobProfile);
        String refusedB = server.process().waitForLine(Pattern.compile("Refused client .*"), Duration.ofSeconds(30), mark).group();
        System.out.println("[e2e] revoked: " + refusedB);
        int markB = mark;
        soft.check("(b) revoked: one log line", () -> assertOneLine(Lab.underlay(5), markB));
        assertTrue(refusedB.contains("revoked"), refusedB);
        assertNull(bob2.process().pollForLine(OpenvpnClient.CONNECTED, Duration.ofSeconds(3), 0), "revoked bob got connected");
        bob2.close();

        // (c) a wrong tls-crypt key: no response at all, and no state kept
        Path wrongKey = lab.file("wrong-tc.key");
        Cmd.run(Duration.ofSeconds(20), "openvpn", "--genkey", "secret", wrongKey.toString()).check();
        String key = Files.readString(wrongKey);
        Path wrong = lab.file("wrong-key.ovpn");
        Files.writeString(wrong, replaceBlock(Files.readString(profile("eve")), "tls-crypt",
                key.substring(key.indexOf("-----BEGIN"))));
        String statusBefore = server.status();
        mark = server.process().mark();
        OpenvpnClient c = start(6, "eve", wrong);
        // the stock client logs "TLS: Initial packet from ..." at the first packet it gets back: none must come
        assertNull(c.process().pollForLine(Pattern.compile("Initial packet from|Peer Connection Initiated"),
                Duration.ofSeconds(8), 0), "the server answered a client with the wrong tls-crypt key");
        String statusDuring = server.status();
        System.out.println("[e2e] status before the wrong key:\n" + statusBefore + "[e2e] status while it tries:\n" + statusDuring);
        assertFalse(statusDuring.contains(Lab.underlay(6) + ":"), "a session was kept for the wrong key:\n" + statusDuring);
        // the refusal is logged (rate-limited) with its reason and the sender's address
        String eve = Pattern.quote(Lab.underlay(6));
        int markC = mark;
        soft.check("(c) wrong tls-crypt key: refusal logged with its reason", () -> {
            String refusedC = server.process().waitForLine(Pattern.compile("(?i)" + eve + ".*(tls-crypt|unwrap|authenticat)"
                    + "|(tls-crypt|unwrap|authenticat).*" + eve), Duration.ofSeconds(5), markC).group();
            System.out.println("[e2e] wrong tls-crypt key: " + refusedC);
        });
        c.close();

        Traffic.PingResult r = Traffic.finish(ping);
        assertEquals(0, r.lost(), "client 1 lost pings during the refusals"
                + TunnelbusServer.dropsBetween(before, server.counters()) + ":\n" + r.output());
        assertNotNull(server.statusRow("steady"), server.status());
        soft.assertAll();
    }

    /** A refusal is one log line: exactly one line since {@code mark} names the client's address. */
    static void assertOneLine(String clientAddress, int mark) {
        Traffic.sleep(500);
        List<String> lines = server.process().linesSince(mark).stream().filter(l -> l.contains(clientAddress + ":")).toList();
        assertEquals(1, lines.size(), "the refusal of " + clientAddress + " is not one log line: " + lines);
    }

    static String replaceBlock(String profile, String tag, String content) {
        Matcher m = Pattern.compile("<" + tag + ">\n.*?</" + tag + ">\n", Pattern.DOTALL).matcher(profile);
        assertTrue(m.find(), "no <" + tag + "> block");
        return profile.substring(0, m.start()) + "<" + tag + ">\n" + content.strip() + "\n</" + tag + ">\n"
                + profile.substring(m.end());
    }

}
