package org.tunnelbus.runtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** First match wins: --profile, -Dtunnelbus.profile, HOME/profile, server; unknown names are one clear line. */
class ProfileChoiceTest {
    @TempDir
    Path dir;
    private Path etc;
    private Path home;

    @BeforeEach
    void distribution() throws Exception {
        etc = Files.createDirectories(dir.resolve("dist/etc"));
        Files.writeString(etc.resolve("server.bndrun"), "");
        Files.writeString(etc.resolve("client.bndrun"), "");
        home = Files.createDirectories(dir.resolve("home"));
    }

    @Test
    void firstMatchWins() throws Exception {
        Files.writeString(home.resolve("profile"), "client\n");
        assertEquals(new ProfileChoice("server", "--profile", etc.resolve("server.bndrun")),
                ProfileChoice.choose("server", "client", home, etc));
        assertEquals(new ProfileChoice("server", "-Dtunnelbus.profile", etc.resolve("server.bndrun")),
                ProfileChoice.choose(null, "server", home, etc));
        assertEquals(new ProfileChoice("client", home.resolve("profile").toString(), etc.resolve("client.bndrun")),
                ProfileChoice.choose(null, "", home, etc));
        Files.delete(home.resolve("profile"));
        assertEquals(new ProfileChoice("server", "default", etc.resolve("server.bndrun")),
                ProfileChoice.choose(null, null, home, etc));
    }

    @Test
    void anUnknownNameListsTheProfilesOfTheDistribution() {
        LauncherException e = assertThrows(LauncherException.class, () -> ProfileChoice.choose("clinet", null, home, etc));
        assertEquals("unknown profile 'clinet' (from --profile); this distribution has: client, server", e.getMessage());
        e = assertThrows(LauncherException.class, () -> ProfileChoice.choose("../etc/server", null, home, etc));
        assertTrue(e.getMessage().startsWith("unknown profile '../etc/server'"), e.getMessage());
    }

    @Test
    void theHomeFileHoldsOneWord() throws Exception {
        Files.writeString(home.resolve("profile"), "client server\n");
        LauncherException e = assertThrows(LauncherException.class, () -> ProfileChoice.choose(null, null, home, etc));
        assertEquals(home.resolve("profile") + " must hold one profile name (one of client, server), not 'client server'",
                e.getMessage());
    }
}
