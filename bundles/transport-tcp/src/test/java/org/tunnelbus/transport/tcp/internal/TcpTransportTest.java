package org.tunnelbus.transport.tcp.internal;

import org.tunnelbus.testsupport.TestPacketPool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.transport.TransportListener;
import org.tunnelbus.api.transport.TransportSpec;

/** A listening TCP transport against plain sockets on loopback: framing on the wire, peers told apart, closes. */
@Timeout(20)
class TcpTransportTest {
    private final TcpTransportFactory factory = new TcpTransportFactory();
    private TestPacketPool pool;
    private Recorder parent;
    private TcpTransport server;

    private record Received(InetSocketAddress from, byte[] data) {
    }

    private static final class Recorder implements TransportListener {
        final TestPacketPool pool;
        final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<InetSocketAddress> connected = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<String> closed = new LinkedBlockingQueue<>();

        Recorder(TestPacketPool pool) {
            this.pool = pool;
        }

        @Override
        public PacketAllocator allocator() {
            return pool;
        }

        @Override
        public void received(PacketBatch batch) {
            for (int i = 0; i < batch.size(); i++) {
                Packet p = batch.get(i);
                byte[] b = new byte[p.length()];
                p.data().get(b);
                received.add(new Received(p.address(), b));
                p.release();
            }
            batch.clear();
        }

        @Override
        public void connected(InetSocketAddress remote) {
            connected.add(remote);
        }

        @Override
        public void closed(InetSocketAddress remote, String reason) {
            closed.add((remote == null ? "transport" : remote.getPort()) + ": " + reason);
        }

        Received next() throws InterruptedException {
            return received.poll(3, TimeUnit.SECONDS);
        }
    }

    @BeforeEach
    void open() throws Exception {
        pool = new TestPacketPool(64, 16, 2048);
        parent = new Recorder(pool);
        server = (TcpTransport) factory.open(new TransportSpec(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                null, 16, 0, 0), parent);
    }

    @AfterEach
    void close() throws Exception {
        factory.deactivate();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (pool.outstanding() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, pool.outstanding(), "packets leaked");
    }

    private Socket connect() throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.localAddress().getPort());
        s.setSoTimeout(3000);
        assertNotNull(parent.connected.poll(3, TimeUnit.SECONDS), "connected() not called");
        return s;
    }

    private static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(2 + payload.length).putShort((short) payload.length).put(payload).array();
    }

    @Test
    void coalescedPacketsArriveOneByOneWithTheConnectionsAddress() throws Exception {
        try (Socket a = connect(); Socket b = connect()) {
            byte[] both = ByteBuffer.allocate(12).put(frame("abc".getBytes())).put(frame("defg".getBytes())).array();
            a.getOutputStream().write(both);
            b.getOutputStream().write(frame("b1".getBytes()));
            int fromA = 0;
            int fromB = 0;
            for (int i = 0; i < 3; i++) {
                Received r = parent.next();
                assertNotNull(r);
                if (r.from().getPort() == a.getLocalPort()) {
                    assertArrayEquals((fromA++ == 0 ? "abc" : "defg").getBytes(), r.data());
                } else {
                    assertEquals(b.getLocalPort(), r.from().getPort());
                    assertArrayEquals("b1".getBytes(), r.data());
                    fromB++;
                }
            }
            assertEquals(2, fromA);
            assertEquals(1, fromB);
            assertEquals(2L, server.counters().get("connections.open"));
        }
    }

    @Test
    void aPacketSplitAcrossWritesIsReassembled() throws Exception {
        try (Socket a = connect()) {
            byte[] f = frame(new byte[1000]);
            OutputStream out = a.getOutputStream();
            a.setTcpNoDelay(true);
            out.write(f, 0, 1);
            out.flush();
            Thread.sleep(50);
            out.write(f, 1, 500);
            out.flush();
            Thread.sleep(50);
            out.write(f, 501, f.length - 501);
            Received r = parent.next();
            assertNotNull(r);
            assertEquals(1000, r.data().length);
        }
    }

    @Test
    void sendFramesEachPacketToItsPeer() throws Exception {
        try (Socket a = connect(); Socket b = connect()) {
            a.getOutputStream().write(frame("hi".getBytes()));
            InetSocketAddress addrA = parent.next().from();
            PacketBatch batch = new PacketBatch(4);
            batch.add(pool.packet("one".getBytes(), addrA));
            batch.add(pool.packet("two".getBytes(), addrA));
            server.send(batch);
            assertTrue(batch.isEmpty());
            DataInputStream in = new DataInputStream(a.getInputStream());
            assertEquals(3, in.readUnsignedShort());
            byte[] one = new byte[3];
            in.readFully(one);
            assertArrayEquals("one".getBytes(), one);
            assertEquals(3, in.readUnsignedShort());
            assertEquals(0, b.getInputStream().available(), "the other peer got nothing");
        }
    }

    @Test
    void aBadLengthClosesOnlyThatConnectionAndIsCounted() throws Exception {
        try (Socket bad = connect(); Socket good = connect()) {
            bad.getOutputStream().write(new byte[] {0, 0, 1});
            String closed = parent.closed.poll(3, TimeUnit.SECONDS);
            assertNotNull(closed);
            assertTrue(closed.startsWith(bad.getLocalPort() + ": bad-length"), closed);
            assertEquals(-1, bad.getInputStream().read(), "the server closed it");
            assertEquals(1L, server.counters().get("closed.bad-length"));
            good.getOutputStream().write(frame("still".getBytes()));
            assertArrayEquals("still".getBytes(), parent.next().data());
        }
    }

    @Test
    void aTooLongLengthClosesTheConnection() throws Exception {
        try (Socket bad = connect()) {
            bad.getOutputStream().write(new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2, 3});
            assertTrue(parent.closed.poll(3, TimeUnit.SECONDS).contains("bad-length"));
            assertEquals(1L, server.counters().get("closed.bad-length"));
        }
    }

    @Test
    void aPeerClosingIsReportedWithItsAddress() throws Exception {
        int port;
        try (Socket a = connect()) {
            port = a.getLocalPort();
            a.getOutputStream().write(new byte[] {0, 10, 1}); // half a packet: released on close
        }
        String closed = parent.closed.poll(3, TimeUnit.SECONDS);
        assertEquals(port + ": closed by the peer", closed);
        assertEquals(1L, server.counters().get("closed.peer"));
        assertEquals(0L, server.counters().get("connections.open"));
    }

    @Test
    void disconnectClosesOnePeer() throws Exception {
        try (Socket a = connect()) {
            a.getOutputStream().write(frame("x".getBytes()));
            InetSocketAddress from = parent.next().from();
            server.disconnect(from, "session ended");
            assertEquals(a.getLocalPort() + ": session ended", parent.closed.poll(3, TimeUnit.SECONDS));
            assertEquals(-1, a.getInputStream().read());
        }
    }

    @Test
    void sendToAnUnknownPeerIsCountedNotThrown() throws Exception {
        PacketBatch batch = new PacketBatch(1);
        batch.add(pool.packet("x".getBytes(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)));
        server.send(batch);
        assertEquals(1L, server.counters().get("drop.no-connection"));
    }

    @Test
    void closeReportsEveryConnectionThenTheTransport() throws Exception {
        try (Socket a = connect()) {
            long t0 = System.nanoTime();
            server.close();
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
            assertEquals(a.getLocalPort() + ": transport closed", parent.closed.poll(3, TimeUnit.SECONDS));
            assertEquals("transport: closed", parent.closed.poll(3, TimeUnit.SECONDS));
            assertNull(parent.closed.poll(100, TimeUnit.MILLISECONDS));
            assertEquals(0, factory.openCount());
        }
    }

    @Test
    void aClientTransportEndsWithItsConnection() throws Exception {
        Recorder clientSide = new Recorder(pool);
        TcpTransport client = (TcpTransport) factory.open(new TransportSpec(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server.localAddress(), 16, 0, 0), clientSide);
        InetSocketAddress peer = parent.connected.poll(3, TimeUnit.SECONDS);
        assertNotNull(peer);
        assertNotEquals(0, client.localAddress().getPort());
        server.disconnect(peer, "bye");
        assertNotNull(clientSide.closed.poll(3, TimeUnit.SECONDS)); // the connection
        String transport = clientSide.closed.poll(3, TimeUnit.SECONDS);
        assertTrue(transport.startsWith("transport: connection ended"), transport);
    }

    @Test
    void bindConflictNamesTheAddress() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.net.BindException.class,
                () -> factory.open(new TransportSpec(server.localAddress(), null, 16, 0, 0), parent));
        assertTrue(e.getMessage().startsWith("cannot bind TCP 127.0.0.1:" + server.localAddress().getPort()), e.getMessage());
    }
}
