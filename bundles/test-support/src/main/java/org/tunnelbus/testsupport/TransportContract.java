package org.tunnelbus.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.api.transport.TransportFactory;
import org.tunnelbus.api.transport.TransportListener;
import org.tunnelbus.api.transport.TransportSpec;
import org.tunnelbus.core.internal.buffer.PacketPool;

/**
 * What every {@link Transport} (and its {@link TransportFactory}) promises, as a JUnit 5 suite to
 * subclass: a bound transport reports its real port; a client receives what the server sent to the
 * address its packets came from, and the other way round; send releases every packet; close returns
 * within a second, is idempotent, and send after close releases without throwing.
 */
public abstract class TransportContract {
    protected PacketPool pool;
    private final List<Transport> opened = new ArrayList<>();

    /** The factory under test (fresh for each test). */
    protected abstract TransportFactory createFactory() throws Exception;

    /** Where the transports bind; loopback with port 0 by default. */
    protected InetSocketAddress bindAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** The parent a protocol module would be: records what arrives (with its source), releases it. */
    protected static final class RecordingListener implements TransportListener {
        record Received(InetSocketAddress from, byte[] data) {
        }

        final PacketAllocator allocator;
        final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

        RecordingListener(PacketAllocator allocator) {
            this.allocator = allocator;
        }

        @Override
        public PacketAllocator allocator() {
            return allocator;
        }

        @Override
        public void received(PacketBatch batch) {
            for (int i = 0; i < batch.size(); i++) {
                Packet p = batch.get(i);
                received.add(new Received(p.address(), Packets.bytesAndRelease(p)));
            }
            batch.clear();
        }

        @Override
        public void closed(InetSocketAddress remote, String reason) {
        }

        Received await() throws InterruptedException {
            return received.poll(3, TimeUnit.SECONDS);
        }
    }

    @BeforeEach
    void createPool() {
        pool = new PacketPool(256, 2048, 128, 0, true);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (Transport t : opened) {
            t.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (pool.outstanding() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, pool.outstanding(), () -> "packets leaked: " + pool.leaks().describe());
    }

    private Transport open(TransportFactory f, InetSocketAddress remote, TransportListener l) throws Exception {
        Transport t = f.open(new TransportSpec(bindAddress(), remote, 16, 0, 0), l);
        opened.add(t);
        return t;
    }

    private void send(Transport t, InetSocketAddress to, byte[]... data) {
        PacketBatch b = new PacketBatch(data.length);
        for (byte[] d : data) {
            Packet p = Packets.of(pool, d);
            p.address(to);
            b.add(p);
        }
        t.send(b);
        assertTrue(b.isEmpty(), "send must empty the batch");
    }

    @Test
    void aBoundTransportReportsItsRealPort() throws Exception {
        Transport t = open(createFactory(), null, new RecordingListener(pool));
        assertNotEquals(0, t.localAddress().getPort());
    }

    @Test
    void eachSideReceivesWhatThePeerSent() throws Exception {
        TransportFactory f = createFactory();
        RecordingListener serverSide = new RecordingListener(pool);
        RecordingListener clientSide = new RecordingListener(pool);
        Transport server = open(f, null, serverSide);
        Transport client = open(f, server.localAddress(), clientSide);

        send(client, server.localAddress(), "hello".getBytes(), "world".getBytes());
        RecordingListener.Received first = serverSide.await();
        assertNotNull(first, "the server received nothing");
        assertArrayEquals("hello".getBytes(), first.data());
        assertArrayEquals("world".getBytes(), serverSide.await().data());
        assertEquals(client.localAddress().getPort(), first.from().getPort(), "the source address is the client's");

        send(server, first.from(), "back".getBytes());
        RecordingListener.Received reply = clientSide.await();
        assertNotNull(reply, "the client received nothing");
        assertArrayEquals("back".getBytes(), reply.data());
    }

    @Test
    void sendReleasesEveryPacket() throws Exception {
        TransportFactory f = createFactory();
        RecordingListener serverSide = new RecordingListener(pool);
        Transport server = open(f, null, serverSide);
        Transport client = open(f, server.localAddress(), new RecordingListener(pool));
        byte[][] many = new byte[32][];
        for (int i = 0; i < many.length; i++) {
            many[i] = new byte[100 + i];
        }
        send(client, server.localAddress(), many);
        for (int i = 0; i < many.length; i++) {
            assertNotNull(serverSide.await(), "datagram " + i);
        }
    }

    @Test
    void closeReturnsWithinASecondAndIsIdempotent() throws Exception {
        Transport t = open(createFactory(), null, new RecordingListener(pool));
        Thread.sleep(100); // the receiver now waits
        long t0 = System.nanoTime();
        t.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 1000, "close took " + ms + " ms");
        assertDoesNotThrow(t::close);
    }

    @Test
    void sendAfterCloseReleasesAndDoesNotThrow() throws Exception {
        TransportFactory f = createFactory();
        Transport server = open(f, null, new RecordingListener(pool));
        Transport client = open(f, server.localAddress(), new RecordingListener(pool));
        client.close();
        assertDoesNotThrow(() -> send(client, server.localAddress(), "late".getBytes()));
        assertEquals(0, pool.outstanding());
    }
}
