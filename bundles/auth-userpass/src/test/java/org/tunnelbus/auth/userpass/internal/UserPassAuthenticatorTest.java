package org.tunnelbus.auth.userpass.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelbus.api.auth.AuthResult;
import org.tunnelbus.api.auth.Credentials;

class UserPassAuthenticatorTest {
    static final String ALICE = "alice:" + PasswordHashTest.ARGON2_DEFAULTS; // correct horse
    static final String BOB = "bob:" + PasswordHashTest.BCRYPT_2B; // correct horse

    @TempDir
    Path home;
    final TestClock clock = new TestClock();

    @Test
    void acceptsTheRightPasswordAndRefusesOthers() throws Exception {
        write(ALICE, BOB);
        UserPassAuthenticator auth = authenticator(config("", 5));
        AuthResult ok = auth.authenticate(creds("alice", "correct horse", "192.0.2.1"));
        assertTrue(ok.accepted(), ok.reason());
        assertEquals("", ok.identity(), "the certificate's CN (or the username, chosen by the listener) is the name");
        assertTrue(auth.authenticate(creds("bob", "correct horse", "192.0.2.1")).accepted());
        assertEquals("wrong password for user 'alice'", auth.authenticate(creds("alice", "wrong", "192.0.2.1")).reason());
        assertEquals("unknown user 'carol'", auth.authenticate(creds("carol", "correct horse", "192.0.2.1")).reason());
        assertEquals("unknown user 'x?y'", auth.authenticate(creds("x\ny", "p", "192.0.2.1")).reason());
        assertTrue(auth.authenticate(creds("", "", "192.0.2.1")).reason().contains("auth-user-pass"));
    }

    @Test
    void theCallersPasswordArrayIsLeftForTheNextAuthenticator() throws Exception {
        write(ALICE);
        UserPassAuthenticator auth = authenticator(config("", 5));
        char[] pw = "correct horse".toCharArray();
        auth.authenticate(new Credentials(List.of(), "alice", pw, Map.of(), new InetSocketAddress("192.0.2.1", 1)));
        assertEquals("correct horse", new String(pw));
    }

    @Test
    void aUserDeletedLiveIsRefusedAtTheNextConnectAndAnAddedOneAccepted() throws Exception {
        write(ALICE, BOB);
        UserPassAuthenticator auth = authenticator(config("", 0));
        assertTrue(auth.authenticate(creds("bob", "correct horse", "192.0.2.1")).accepted());
        write(ALICE); // atomic rename, as 'tunnelbus user del' does
        assertEquals("unknown user 'bob'", auth.authenticate(creds("bob", "correct horse", "192.0.2.1")).reason());
        Files.writeString(home.resolve("users"), ALICE + "\n" + BOB.replace("bob:", "bobby:") + "\n"); // in place
        assertTrue(auth.authenticate(creds("bobby", "correct horse", "192.0.2.1")).accepted());
    }

    @Test
    void aBrokenFileKeepsTheLastGoodUsersUntilItIsFixed() throws Exception {
        write(ALICE, BOB);
        UserPassAuthenticator auth = authenticator(config("", 0));
        UserStore store = new UserStore(home.resolve("users"));
        assertNotNull(store.current());
        write(ALICE, "bob:$2y$oops");
        for (int i = 0; i < 3; i++) { // reported once (see the log), not per call
            assertTrue(auth.authenticate(creds("bob", "correct horse", "192.0.2.1")).accepted());
        }
        assertEquals(2, store.current().size());
        assertTrue(store.problem().startsWith("line 3: user 'bob': malformed bcrypt"), store.problem());
        Files.delete(home.resolve("users"));
        assertTrue(auth.authenticate(creds("alice", "correct horse", "192.0.2.1")).accepted());
        assertEquals(2, store.current().size(), "a deleted file keeps the last good users too");
        assertEquals("no such file", store.problem());
        write(ALICE);
        assertFalse(auth.authenticate(creds("bob", "correct horse", "192.0.2.1")).accepted());
        assertEquals(1, store.current().size());
        assertNull(store.problem());
    }

    @Test
    void withoutAUsersFileEveryoneIsRefusedUntilItAppears() throws Exception {
        UserPassAuthenticator auth = authenticator(config("", 0));
        assertEquals("the users file " + home.resolve("users") + " cannot be used: no such file",
                auth.authenticate(creds("alice", "correct horse", "192.0.2.1")).reason());
        write(ALICE);
        assertTrue(auth.authenticate(creds("alice", "correct horse", "192.0.2.1")).accepted());
    }

    @Test
    void repeatedFailuresFromOneAddressAreThrottledWithoutChecking() throws Exception {
        write(ALICE);
        UserPassAuthenticator auth = authenticator(config("", 5));
        for (int i = 0; i < 5; i++) {
            assertFalse(auth.authenticate(creds("alice", "guess" + i, "192.0.2.66")).accepted());
        }
        AuthResult blocked = auth.authenticate(creds("alice", "correct horse", "192.0.2.66"));
        assertEquals("too many failed logins from this address; refused without checking for another 60 s", blocked.reason());
        assertTrue(auth.authenticate(creds("alice", "correct horse", "192.0.2.67")).accepted(), "other addresses pass");
        clock.advance(60_000);
        assertTrue(auth.authenticate(creds("alice", "correct horse", "192.0.2.66")).accepted());
    }

    @Test
    void anExplicitUsersFileAndBadConfigurationsKeepTheLastGood() throws Exception {
        Path other = home.resolve("other-users");
        Files.writeString(other, BOB + "\n");
        UserPassAuthenticator auth = authenticator(config(other.toString(), 5));
        assertTrue(auth.authenticate(creds("bob", "correct horse", "192.0.2.1")).accepted());
        auth.modified(config(other.toString(), -1), Map.of());
        assertTrue(auth.authenticate(creds("bob", "correct horse", "192.0.2.1")).accepted());
        UserPassAuthenticator noHome = new UserPassAuthenticator(null, config("", 5), Map.of(), clock);
        assertTrue(noHome.authenticate(creds("bob", "correct horse", "192.0.2.1")).reason()
                .contains("property users.file: not set"));
    }

    @Test
    void aVerifiedAuthTokenStandsInForThePasswordButNotForADeletedUser() throws Exception {
        write(ALICE, BOB);
        UserPassAuthenticator auth = authenticator(config("", 5));
        String token = "SESS_ID_AT_" + "A".repeat(80);
        assertTrue(auth.authenticate(new Credentials(List.of(), "alice", token.toCharArray(), Map.of(),
                new InetSocketAddress("192.0.2.1", 1), true)).accepted());
        assertEquals("wrong password for user 'alice'", auth.authenticate(creds("alice", token, "192.0.2.1")).reason(),
                "an unverified token is only a wrong password");
        write(BOB);
        assertEquals("unknown user 'alice'", auth.authenticate(new Credentials(List.of(), "alice", token.toCharArray(),
                Map.of(), new InetSocketAddress("192.0.2.1", 1), true)).reason());
    }

    private UserPassAuthenticator authenticator(UserPassConfig c) {
        return new UserPassAuthenticator(home.toString(), c, Map.of(), clock);
    }

    private void write(String... lines) throws IOException {
        Path tmp = home.resolve("users.tmp");
        Files.writeString(tmp, "# test users\n" + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, home.resolve("users"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static Credentials creds(String user, String password, String from) {
        return new Credentials(List.of(), user, password.toCharArray(), Map.of(), new InetSocketAddress(from, 40000));
    }

    static UserPassConfig config(String file, int failures) {
        return new UserPassConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return UserPassConfig.class;
            }

            @Override
            public String users_file() {
                return file;
            }

            @Override
            public int throttle_failures() {
                return failures;
            }

            @Override
            public int throttle_window_sec() {
                return 60;
            }

            @Override
            public int throttle_block_sec() {
                return 60;
            }
        };
    }
}
