package org.tunnelbus.transport.udp.internal;

import org.tunnelbus.testsupport.TestPacketPool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.api.transport.TransportSpec;

/**
 * The {@code Transport} contract (api javadoc), checked on the UDP implementation. test-support's
 * {@code TransportContract} suite did not exist when this module was written; these are the same checks
 * written locally, to be replaced by a subclass of that suite when it lands.
 */
@Timeout(20)
class UdpTransportContractTest {
    private final UdpTransportFactory factory = new UdpTransportFactory();
    private TestPacketPool poolA;
    private TestPacketPool poolB;
    private RecordingListener listenerA;
    private RecordingListener listenerB;
    private Transport a;
    private Transport b;

    @BeforeEach
    void open() throws Exception {
        poolA = new TestPacketPool(64, 32, 2048);
        poolB = new TestPacketPool(64, 32, 2048);
        listenerA = new RecordingListener(poolA);
        listenerB = new RecordingListener(poolB);
        a = factory.open(spec(), listenerA);
        b = factory.open(spec(), listenerB);
    }

    @AfterEach
    void close() {
        try {
            if (a != null) {
                a.close();
            }
        } finally {
            if (b != null) {
                b.close();
            }
            factory.deactivate();
        }
    }

    private static TransportSpec spec() throws Exception {
        return new TransportSpec(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), null, 16, 0, 0);
    }

    @Test
    void localAddressHasTheRealPort() {
        assertNotEquals(0, a.localAddress().getPort());
        assertEquals("127.0.0.1", a.localAddress().getAddress().getHostAddress());
        assertNotEquals(a.localAddress().getPort(), b.localAddress().getPort());
    }

    @Test
    void sendTakesOwnershipAndEmptiesTheBatch() throws Exception {
        PacketBatch batch = new PacketBatch(4);
        for (int i = 0; i < 3; i++) {
            batch.add(poolA.packet(("hello " + i).getBytes(StandardCharsets.US_ASCII), b.localAddress()));
        }
        a.send(batch);
        assertTrue(batch.isEmpty(), "batch empty after send");
        assertEquals(0, poolA.outstanding(), "every packet released by send");
        awaitCount(listenerB, 3);
        assertTrue(poolB.outstanding() <= 1, "listener released what it got; the receive thread keeps one spare");
        b.close();
        assertEquals(0, poolB.outstanding(), "the spare goes back on close");
    }

    @Test
    void receivedPacketsCarryTheirSourceAndLandAtTheHeadroom() throws Exception {
        PacketBatch batch = new PacketBatch(1);
        batch.add(poolA.packet("ping".getBytes(StandardCharsets.US_ASCII), b.localAddress()));
        a.send(batch);
        awaitCount(listenerB, 1);
        RecordingListener.Received r = listenerB.received.get(0);
        assertEquals("ping", new String(r.data(), StandardCharsets.US_ASCII));
        assertEquals(a.localAddress(), r.from());
        assertEquals(poolB.headroom(), r.offset(), "received straight into the data region, after the headroom");
    }

    @Test
    void sendFailuresAreCountedNeverThrown() {
        PacketBatch batch = new PacketBatch(3);
        batch.add(poolA.packet(new byte[10], null)); // no destination
        batch.add(poolA.packet(new byte[10], InetSocketAddress.createUnresolved("nowhere.invalid", 1194)));
        batch.add(poolA.packet(new byte[10], new InetSocketAddress("::1", 1194))); // IPv6 peer on an IPv4 socket
        a.send(batch);
        assertEquals(0, poolA.outstanding());
        assertEquals(3L, a.counters().get("drop.send-error"));
        assertEquals(0L, a.counters().get("packets.out"));
    }

    @Test
    void closeIsIdempotentReportsOnceAndSendAfterCloseReleases() throws Exception {
        a.close();
        a.close();
        assertTrue(listenerA.awaitClosed(1000));
        assertEquals(1, listenerA.closedReasons.size(), "closed() reported exactly once");
        PacketBatch batch = new PacketBatch(1);
        batch.add(poolA.packet(new byte[8], b.localAddress()));
        a.send(batch);
        assertTrue(batch.isEmpty());
        assertEquals(0, poolA.outstanding(), "packets sent after close are released");
        assertFalse(listenerA.receivedAfterClosed);
    }

    @Test
    void countersNameEveryReason() {
        Map<String, Long> c = a.counters();
        for (String k : new String[] {"packets.in", "bytes.in", "packets.out", "bytes.out", "drop.pool-empty",
                "drop.send-error", "drop.too-big"}) {
            assertEquals(0L, c.get(k), k);
        }
    }

    static void awaitCount(RecordingListener l, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (l.received.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(n, l.received.size(), "packets received");
    }
}
