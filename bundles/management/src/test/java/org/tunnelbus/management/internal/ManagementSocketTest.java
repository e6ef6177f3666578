package org.tunnelbus.management.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagementSocketTest {
    @TempDir
    Path home;

    @Test
    void answersOverAPrivateSocketAndCleansUp() throws Exception {
        Path sock = home.resolve("run").resolve("management.sock");
        ManagementSocket server = new ManagementSocket(new ManagementCommands(new EmptyRegistry(), null, () -> ""), sock);
        try {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock.getParent())));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
            PrintStream old = System.out;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            System.setOut(new PrintStream(out, true));
            int rc;
            try {
                rc = ManagementClient.ask(sock, "status");
            } finally {
                System.setOut(old);
            }
            assertEquals(0, rc);
            assertEquals("0 session(s)", out.toString().trim().split("\n")[1]);
        } finally {
            server.deactivate();
        }
        assertFalse(Files.exists(sock));
        assertEquals(2, ManagementClient.ask(sock, "status"));
    }

    static class EmptyRegistry implements org.tunnelbus.api.session.SessionRegistry {
        @Override public org.tunnelbus.api.session.Session open(java.net.InetSocketAddress r) { return null; }
        @Override public org.tunnelbus.api.session.Session byPeerId(int id) { return null; }
        @Override public org.tunnelbus.api.session.Session byId(long id) { return null; }
        @Override public java.util.Collection<org.tunnelbus.api.session.Session> sessions() { return List.of(); }
        @Override public void close(org.tunnelbus.api.session.Session s, String reason) { }
    }

    /** A registry that holds {@code sessions}. */
    static final class Registry extends EmptyRegistry {
        private final List<org.tunnelbus.api.session.Session> sessions;

        Registry(List<org.tunnelbus.api.session.Session> sessions) {
            this.sessions = sessions;
        }

        @Override public java.util.Collection<org.tunnelbus.api.session.Session> sessions() { return sessions; }
    }
}
