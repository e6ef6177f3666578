package org.tunnelbus.management.openvpn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The sockets as a management client sees them: jnr's unix socket (0600) and loopback TCP with a password. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectionsTest {
    @TempDir
    Path dir;
    private final FakeDaemon daemon = new FakeDaemon();
    private Connections connections;

    @AfterEach
    void close() {
        if (connections != null) {
            connections.close();
        }
    }

    /** A client's view of the stream: text up to a marker, keeping what came after it (bounded: 5 s a read). */
    private static final class Peer {
        private final InputStream in;
        private final StringBuilder pending = new StringBuilder();

        Peer(InputStream in) {
            this.in = in;
        }

        String until(String marker) throws IOException {
            byte[] buf = new byte[4096];
            long deadline = System.currentTimeMillis() + 5000;
            while (pending.indexOf(marker) < 0) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("no '" + marker + "' within 5 s; got: " + pending);
                }
                int n = in.read(buf);
                if (n < 0) {
                    throw new AssertionError("connection closed before '" + marker + "'; got: " + pending);
                }
                pending.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            int end = pending.indexOf(marker) + marker.length();
            String out = pending.substring(0, end);
            pending.delete(0, end);
            return out;
        }
    }

    @Test
    void unixSocketIsPrivateAndSpeaksCrlfLinesWithRealtimeNotifications() throws Exception {
        Path sock = dir.resolve("run/openvpn-management.sock");
        connections = new Connections(new Commands(daemon), null, 4, List.of(new UnixEndpoint(sock)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock.getParent())));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            InputStream in = Channels.newInputStream(ch);
            OutputStream out = Channels.newOutputStream(ch);
            Peer peer = new Peer(in);
            assertEquals(">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info\r\n",
                    peer.until("\r\n"));
            out.write("log on\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("SUCCESS: real-time log notification set to ON\r\n", peer.until("\r\n"));
            daemon.log.add(new History.Entry(5, "I,hello"));
            connections.notify(ConnectionState::log, List.of(">LOG:5,I,hello"));
            assertEquals(">LOG:5,I,hello\r\n", peer.until("\r\n"), "a notification reaches a client that is silent");
            out.write("quit\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, in.read(), "quit closes the connection");
        }
    }

    @Test
    void tcpAsksForThePasswordAndGivesUpAfterThreeWrongOnes() throws Exception {
        TcpEndpoint tcp = new TcpEndpoint(InetAddress.getLoopbackAddress(), 0);
        connections = new Connections(new Commands(daemon), "s3cret", 4, List.of(tcp));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tcp.port())) {
            s.setSoTimeout(5000);
            Peer peer = new Peer(s.getInputStream());
            OutputStream out = s.getOutputStream();
            assertEquals("ENTER PASSWORD:", peer.until("ENTER PASSWORD:"), "the prompt has no line end, as stock");
            out.write("s3cret\n".getBytes(StandardCharsets.US_ASCII));
            String welcome = peer.until("help' for more info\r\n");
            assertEquals("SUCCESS: password is correct\r\n>INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info\r\n",
                    welcome);
            out.write("pid\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("SUCCESS: pid=4242\r\n", peer.until("\r\n"));
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tcp.port())) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            Peer peer = new Peer(in);
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < 3; i++) {
                peer.until("ENTER PASSWORD:");
                out.write("wrong\n".getBytes(StandardCharsets.US_ASCII));
            }
            assertEquals(-1, in.read(), "three wrong passwords close the connection");
        }
    }
}
