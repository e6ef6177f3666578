package org.tunnelbus.auth.userpass.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserCommandTest {
    @TempDir
    Path home;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void addPasswdDelKeepAnArgon2idFileOfMode0600() throws Exception {
        assertEquals(0, run("pässwörd one\n", "add", "alice", "--home", home.toString()), err.toString());
        assertEquals(0, run("second\r\n", "add", "bob", "--home", home.toString()), err.toString());
        Path file = home.resolve("users");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Users users = Users.read(file);
        assertTrue(users.get("alice").matches("pässwörd one".toCharArray()));
        assertTrue(users.get("bob").matches("second".toCharArray()));
        assertTrue(users.get("alice").encoded().startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
        assertTrue(out.toString().contains("Added user alice to " + file));
        assertTrue(err.toString().contains("username/password authentication is off until"));

        Files.writeString(file, Files.readString(file) + "# my comment\n");
        assertEquals(0, run("new one\n", "passwd", "alice", "--home", home.toString()), err.toString());
        assertTrue(Users.read(file).get("alice").matches("new one".toCharArray()));
        assertEquals(0, run("", "del", "bob", "--home", home.toString()), err.toString());
        assertNull(Users.read(file).get("bob"));
        assertTrue(Files.readString(file).contains("# my comment"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var listing = Files.list(home)) {
            assertEquals(List.of(file), listing.toList(), "no temporary file left");
        }
    }

    @Test
    void mistakesAreOneLineAndChangeNothing() throws Exception {
        assertEquals(0, run("pw\n", "add", "alice", "--home", home.toString()));
        String before = Files.readString(home.resolve("users"));
        assertEquals(1, run("pw\n", "add", "alice", "--home", home.toString()));
        assertTrue(err.toString().contains("user alice exists"), err.toString());
        assertEquals(1, run("pw\n", "passwd", "carol", "--home", home.toString()));
        assertEquals(1, run("\n", "passwd", "alice", "--home", home.toString()));
        assertTrue(err.toString().contains("empty password"), err.toString());
        assertEquals(64, run("", "add", "bad name", "--home", home.toString()));
        assertEquals(64, run("", "rename", "alice", "--home", home.toString()));
        assertEquals(before, Files.readString(home.resolve("users")));
        Files.writeString(home.resolve("users"), before + "broken\n");
        assertEquals(1, run("pw\n", "add", "bob", "--home", home.toString()));
        assertTrue(err.toString().contains("line 4: expected NAME:HASH (fix that line first)"), err.toString());
    }

    @Test
    void theUsersFileOfTheConfigurationIsUsed() throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/org.tunnelbus.auth.userpass.cfg"), "users.file = ${tunnelbus.home}/etc/vpn-users\n");
        assertEquals(0, run("pw\n", "add", "alice", "--home", home.toString()), err.toString());
        assertTrue(Files.exists(home.resolve("etc/vpn-users")));
        assertFalse(err.toString().contains("is off until"));
    }

    private int run(String stdin, String... args) {
        return UserCommand.forTest(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))).run(args);
    }
}
