package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.OpenvpnClient;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.Traffic;
import org.tunnelbus.e2e.harness.TunnelbusServer;

/**
 * Username/password authentication (auth-userpass) with the stock client's {@code auth-user-pass FILE}: users kept
 * with {@code bin/tunnelbus user}, a right password connects and pings, a wrong one gets AUTH_FAILED (and the stock
 * client says so), a user deleted while the server runs is refused at the next connect, and with
 * {@code verify.client.cert none} a client without any certificate gets in with its password alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UserPassIT {
    static final String SERVER_TUN = "10.8.0.1";
    static final Duration CONNECT = Duration.ofSeconds(60);
    static final String USERPASS = "org.tunnelbus.auth.userpass.cfg";
    static final Pattern AUTH_FAILED = Pattern.compile("AUTH_FAILED");

    static Lab lab;
    static TunnelbusServer server;
    static Path dist;
    /** Alice's profile without a certificate (test 5). */
    static Path passwordOnly;

    @BeforeAll
    static void startServer() {
        dist = Prerequisites.requireDistribution();
        lab = new Lab("userpass");
        server = TunnelbusServer.start(lab.cleanup(), lab.server(), dist, lab.file("home"), 9780, lab.file("tunnelbus.log"));
        server.waitListening(1194, Duration.ofSeconds(120));
        server.setConfig(TunnelbusServer.LISTENER, "public.address", Lab.SERVER_UNDERLAY);
        user("add", "alice", "alice's secret ü");
        user("add", "bob", "bob-pw");
        int mark = server.process().mark();
        server.setConfig(USERPASS, "users.file", server.home().resolve("users").toString());
        server.process().waitForLine(Pattern.compile("Read users file .*: 2 user\\(s\\)"), Duration.ofSeconds(20), mark);
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void theUsersFileIsPrivate() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.home().resolve("users"))));
        String text = Files.readString(server.home().resolve("users"));
        assertTrue(text.contains("alice:$argon2id$v=19$") && !text.contains("secret"), text);
    }

    @Test
    @Order(2)
    void theRightPasswordConnectsAndPings() {
        OpenvpnClient c = start(1, "alice", withPassword(profile("alice"), "alice", "alice's secret ü"));
        c.waitConnected(CONNECT, server);
        Traffic.assertPings(c.ns(), SERVER_TUN, 3, server);
        c.close();
    }

    @Test
    @Order(3)
    void aWrongPasswordGetsAuthFailedAndOneLogLine() {
        int mark = server.process().mark();
        OpenvpnClient c = start(2, "bob-wrong", withPassword(profile("bob"), "bob", "not-bobs"));
        String refused = server.process().waitForLine(Pattern.compile("Refused client .*"), Duration.ofSeconds(30), mark).group();
        System.out.println("[e2e] wrong password: " + refused);
        assertTrue(refused.contains("wrong password for user 'bob'") && !refused.contains("not-bobs"), refused);
        String said = c.process().waitForLine(AUTH_FAILED, Duration.ofSeconds(20), 0).group();
        System.out.println("[e2e] stock client: " + c.process().grep(AUTH_FAILED));
        assertTrue(said.contains("AUTH_FAILED"));
        assertNull(c.process().pollForLine(OpenvpnClient.CONNECTED, Duration.ofSeconds(2), 0), "bob got in");
        Traffic.sleep(500);
        assertEquals(1, server.process().linesSince(mark).stream().filter(l -> l.contains(Lab.underlay(2) + ":")).count(),
                "one line per refusal: " + server.process().linesSince(mark));
        assertTrue(server.process().linesSince(mark).stream().noneMatch(l -> l.contains("not-bobs")), "password logged");
        c.close();
    }

    @Test
    @Order(4)
    void aUserDeletedLiveIsRefusedAtTheNextConnect() {
        Path bob = withPassword(profile("bob"), "bob", "bob-pw");
        OpenvpnClient first = start(3, "bob", bob);
        first.waitConnected(CONNECT, server);
        first.close();
        int mark = server.process().mark();
        user("del", "bob", null); // no restart, no reload command: the server reads the file again at the next connect
        OpenvpnClient again = start(3, "bob-deleted", bob);
        String refused = server.process().waitForLine(Pattern.compile("Refused client .*"), Duration.ofSeconds(30), mark).group();
        System.out.println("[e2e] deleted user: " + refused);
        assertTrue(refused.contains("unknown user 'bob'"), refused);
        server.process().waitForLine(Pattern.compile("Reloaded users file .*: 1 user\\(s\\)"), Duration.ofSeconds(5), mark);
        again.process().waitForLine(AUTH_FAILED, Duration.ofSeconds(20), 0);
        again.close();
    }

    @Test
    @Order(5)
    void withVerifyClientCertNoneThePasswordAloneConnects() throws IOException {
        int mark = server.process().mark();
        server.setConfig(TunnelbusServer.LISTENER, "verify.client.cert", "none");
        server.process().waitForLine(Pattern.compile("verify-client-cert none"), Duration.ofSeconds(20), mark);
        Path p = passwordOnlyProfile("alice", "alice's secret ü");
        passwordOnly = p;
        mark = server.process().mark();
        OpenvpnClient c = start(4, "nocert", p);
        c.waitConnected(CONNECT, server);
        String line = server.process().waitForLine(Pattern.compile("Client (\\S+) connected .*"), Duration.ofSeconds(10), mark).group();
        assertTrue(line.startsWith("Client alice connected"), "the username names a client without a certificate: " + line);
        Traffic.assertPings(c.ns(), SERVER_TUN, 3, server);
        c.close();
    }

    @Test
    @Order(6)
    void withAuthGenTokenRenegotiationsUseTheTokenNotThePassword() {
        int mark = server.process().mark();
        server.setConfig(TunnelbusServer.LISTENER, java.util.Map.of("auth.gen.token", "true", "reneg.sec", "10"));
        server.process().waitForLine(Pattern.compile("auth-gen-token.*reneg-sec 10"), Duration.ofSeconds(20), mark);
        mark = server.process().mark();
        OpenvpnClient c = start(5, "alice-token", passwordOnly);
        c.waitConnected(CONNECT, server);
        // the password changes: from now on only the pushed token can renegotiate this session
        user("passwd", "alice", "a new password");
        for (int i = 1; i <= 2; i++) { // the second one runs on the renewed token
            server.process().waitForLine(Pattern.compile("Client alice \\(" + Pattern.quote(Lab.underlay(5)) + ":\\d+\\) renegotiated"),
                    Duration.ofSeconds(30), mark);
            mark = server.process().mark();
        }
        assertTrue(server.process().linesSince(0).stream().noneMatch(l -> l.contains("Refused client") && l.contains(Lab.underlay(5))),
                "the token was refused: " + server.process().grep(Pattern.compile("Refused client")));
        assertTrue(server.process().lines().stream().noneMatch(l -> l.contains("SESS_ID_AT_")), "a token was logged");
        Traffic.assertPings(c.ns(), SERVER_TUN, 3, server);
        c.close();
        // a new connection with the old password is refused
        mark = server.process().mark();
        OpenvpnClient old = start(6, "alice-old-password", passwordOnly);
        String refused = server.process().waitForLine(Pattern.compile("Refused client .*"), Duration.ofSeconds(30), mark).group();
        assertTrue(refused.contains("wrong password for user 'alice'"), refused);
        old.close();
    }

    @Test
    @Order(7)
    void aUserDeletedWhileConnectedIsRefusedAtTheNextRenegotiationEvenWithAToken() throws IOException {
        OpenvpnClient c = start(7, "alice-deleted-live", passwordOnlyProfile("alice", "a new password"));
        c.waitConnected(CONNECT, server);
        int mark = server.process().mark();
        user("del", "alice", null);
        String refused = server.process().waitForLine(Pattern.compile("Refused client alice from "
                + Pattern.quote(Lab.underlay(7)) + ":.*"), Duration.ofSeconds(30), mark).group();
        System.out.println("[e2e] deleted while connected: " + refused);
        assertTrue(refused.contains("unknown user 'alice'"), refused);
        c.process().waitForLine(AUTH_FAILED, Duration.ofSeconds(20), 0);
        server.process().waitForLine(Pattern.compile("Client alice \\(" + Pattern.quote(Lab.underlay(7))
                + ":\\d+\\) disconnected: refused"), Duration.ofSeconds(20), mark);
        c.close();
    }

    /** A profile of {@code user} without {@code <cert>} and {@code <key>}: the password alone. */
    static Path passwordOnlyProfile(String user, String password) throws IOException {
        String noCert = withoutBlock(withoutBlock(Files.readString(withPassword(profile("nocert"), user, password)),
                "cert"), "key");
        Path p = lab.file("nocert-" + user + "-" + Integer.toHexString(password.hashCode()) + ".ovpn");
        Files.writeString(p, noCert);
        return p;
    }

    static OpenvpnClient start(int i, String name, Path profile) {
        return OpenvpnClient.start(lab.cleanup(), lab.client(i), "openvpn-" + name, profile,
                lab.file("client-" + name + ".log"));
    }

    static Path profile(String name) {
        Path p = lab.file(name + ".ovpn");
        server.profile(name, p);
        return p;
    }

    /** The profile plus {@code auth-user-pass FILE} (the file: username and password lines, mode 0600). */
    static Path withPassword(Path profile, String user, String password) {
        try {
            Path creds = lab.file(profile.getFileName() + "-" + user + ".pass");
            Files.writeString(creds, user + "\n" + password + "\n");
            Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-------"));
            Path out = lab.file(profile.getFileName() + "-" + user + "-" + Integer.toHexString(password.hashCode()) + ".ovpn");
            Files.writeString(out, Files.readString(profile) + "auth-user-pass " + creds + "\n");
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String withoutBlock(String profile, String tag) {
        return Pattern.compile("<" + tag + ">\n.*?</" + tag + ">\n", Pattern.DOTALL).matcher(profile).replaceFirst("");
    }

    static void user(String action, String name, String password) {
        server.user(action, name, password);
    }
}
