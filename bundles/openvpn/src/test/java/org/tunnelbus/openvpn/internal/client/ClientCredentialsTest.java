package org.tunnelbus.openvpn.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link UserPass} reads the file as stock does; {@link ClientCredentials} chooses between password and token. */
class ClientCredentialsTest {
    @TempDir
    Path dir;

    private Path file(String content) throws Exception {
        Path f = dir.resolve("up.txt");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    private static String password(ClientCredentials.Secret s) {
        return new String(s.password(), StandardCharsets.UTF_8);
    }

    @Test
    void readsUsernameAndPasswordLinesWithAnyLineEnd() throws Exception {
        for (String content : new String[] {"alice\nsëcret\n", "alice\r\nsëcret\r\n", "alice\nsëcret"}) {
            UserPass up = UserPass.read(file(content));
            assertEquals("alice", up.username());
            assertArrayEquals("sëcret".getBytes(StandardCharsets.UTF_8), up.password());
            assertFalse(up.toString().contains("sëcret"));
            up.wipe();
            assertArrayEquals(new byte[7], up.password(), "wiped");
        }
    }

    @Test
    void refusesWhatStockRefusesOrWouldPromptFor() throws Exception {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> UserPass.read(file("\nsecret\n")))
                .getMessage().contains("username (line 1) is empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> UserPass.read(file("alice\n")))
                .getMessage().contains("password (line 2)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> UserPass.read(file("alice\n" + "x".repeat(128))))
                .getMessage().contains("longer than 127"));
        String missing = assertThrows(IllegalArgumentException.class, () -> UserPass.read(dir.resolve("nope")))
                .getMessage();
        assertTrue(missing.contains("NoSuchFileException") && missing.contains("nope"), missing);
    }

    @Test
    void aMissingFileIsOneProblemNamingTheProperty() {
        String problem = new ClientCredentials().load(dir.resolve("nope"));
        assertTrue(problem.startsWith("property 'auth.user.pass': cannot read "), problem);
    }

    @Test
    void noFileSendsEmptyCredentials() {
        ClientCredentials c = new ClientCredentials();
        assertNull(c.load(null));
        assertEquals("", c.next().username());
        assertEquals(0, c.next().password().length);
    }

    @Test
    void aPushedTokenReplacesThePasswordUntilRefused() throws Exception {
        ClientCredentials c = new ClientCredentials();
        assertNull(c.load(file("alice\nsecret\n")));
        assertEquals("secret", password(c.next()));
        c.token("SESS_ID_AT_abc");
        assertEquals("alice", c.next().username());
        assertEquals("SESS_ID_AT_abc", password(c.next()));
        c.tokenUser(Base64.getEncoder().encodeToString("bob".getBytes(StandardCharsets.UTF_8)));
        assertEquals("bob", c.next().username(), "auth-token-user");
        // a reconnection reads the file again and still sends the token
        assertNull(c.load(file("alice\nnewer\n")));
        assertEquals("SESS_ID_AT_abc", password(c.next()));
        assertTrue(c.dropToken(), "AUTH_FAILED with a token: log in again");
        assertFalse(c.dropToken(), "AUTH_FAILED without one: stop");
        assertEquals("alice", c.next().username());
        assertEquals("newer", password(c.next()));
    }

    @Test
    void aNewConfigurationForgetsTheToken() throws Exception {
        ClientCredentials c = new ClientCredentials();
        c.load(file("alice\nsecret\n"));
        c.token("SESS_ID_AT_abc");
        c.clear();
        assertFalse(c.hasToken());
        assertEquals("", c.next().username());
    }
}
