package org.tunnelbus.transport.udp.internal;

import org.tunnelbus.testsupport.TestPacketPool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.transport.TransportSpec;
import org.tunnelbus.transport.udp.internal.UdpCounters.Drop;

/** The UDP transport on loopback: volume, IPv6, close while blocked, bind errors, back-pressure, limits. */
@Timeout(60)
class UdpTransportTest {
    private static final int COUNT = 10_000;
    private static final int WINDOW = 64;

    private static InetSocketAddress loopback4() throws IOException {
        return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
    }

    private static TransportSpec spec(InetSocketAddress local, int batch) {
        return new TransportSpec(local, null, batch, 0, 1 << 20);
    }

    private static UdpTransport open(TransportSpec spec, RecordingListener l) throws IOException {
        UdpTransport t = UdpTransport.open(spec, l, () -> {
        });
        t.start();
        return t;
    }

    @Test
    void twoTransportsExchangeTenThousandPacketsEachWay() throws Exception {
        exchange(loopback4());
    }

    @Test
    void ipv6Loopback() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        try (DatagramChannel probe = DatagramChannel.open(java.net.StandardProtocolFamily.INET6)) {
            probe.bind(v6);
        } catch (IOException | UnsupportedOperationException e) {
            assumeTrue(false, "no IPv6 loopback on this machine: " + e);
        }
        exchange(v6);
    }

    /** A and B each send COUNT numbered packets to the other at the same time, in windows (loopback drops nothing then). */
    private void exchange(InetSocketAddress bind) throws Exception {
        TestPacketPool poolA = new TestPacketPool(512, 64, 1500);
        TestPacketPool poolB = new TestPacketPool(512, 64, 1500);
        RecordingListener la = new RecordingListener(poolA);
        RecordingListener lb = new RecordingListener(poolB);
        UdpTransport a = null;
        UdpTransport b = null;
        try {
            a = open(spec(bind, 32), la);
            b = open(spec(bind, 32), lb);
            UdpTransport fa = a;
            UdpTransport fb = b;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread ta = new Thread(() -> pump(fa, poolA, lb, fb.localAddress(), failure), "pump-a");
            Thread tb = new Thread(() -> pump(fb, poolB, la, fa.localAddress(), failure), "pump-b");
            ta.start();
            tb.start();
            ta.join(30_000);
            tb.join(30_000);
            assertFalse(ta.isAlive() || tb.isAlive(), "pumps finished");
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            check(la, a, b);
            check(lb, b, a);
            assertEquals(COUNT, a.counterValues().packetsOut());
            assertEquals(COUNT, b.counterValues().packetsIn());
            assertEquals(a.counterValues().bytesOut(), b.counterValues().bytesIn());
            assertEquals(b.counterValues().bytesOut(), a.counterValues().bytesIn());
            for (Drop d : Drop.values()) {
                assertEquals(0, a.counterValues().drops(d), "A drop " + d.key);
                assertEquals(0, b.counterValues().drops(d), "B drop " + d.key);
            }
            assertTrue(lb.maxBatch.get() > 1, "receives are batched (largest batch " + lb.maxBatch.get() + ")");
        } finally {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
        }
        assertEquals(0, poolA.outstanding(), "pool A: no packet leaked");
        assertEquals(0, poolB.outstanding(), "pool B: no packet leaked");
    }

    private static void pump(UdpTransport from, TestPacketPool pool, RecordingListener peer, InetSocketAddress to,
            AtomicReference<Throwable> failure) {
        try {
            PacketBatch batch = new PacketBatch(16);
            byte[] payload = new byte[100];
            for (int seq = 0; seq < COUNT; ) {
                int windowEnd = Math.min(COUNT, seq + WINDOW);
                while (seq < windowEnd) {
                    ByteBuffer.wrap(payload).putInt(0, seq).putInt(4, ~seq);
                    int len = 8 + seq % 90; // varying sizes
                    Packet p = pool.allocate();
                    p.put(payload, 0, len);
                    p.address(to);
                    batch.add(p);
                    seq++;
                    if (batch.isFull() || seq == windowEnd) {
                        from.send(batch);
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (peer.received.size() < seq) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("peer has " + peer.received.size() + " of " + seq + " after 5 s");
                    }
                    Thread.sleep(0, 200_000);
                }
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    private static void check(RecordingListener l, UdpTransport self, UdpTransport peer) {
        assertEquals(COUNT, l.received.size(), "received at " + self);
        BitSet seen = new BitSet(COUNT);
        InetSocketAddress first = l.received.get(0).from();
        for (RecordingListener.Received r : l.received) {
            ByteBuffer d = ByteBuffer.wrap(r.data());
            int seq = d.getInt(0);
            assertEquals(~seq, d.getInt(4), "payload intact");
            assertEquals(8 + seq % 90, r.data().length, "length of " + seq);
            assertFalse(seen.get(seq), "duplicate " + seq);
            seen.set(seq);
            assertEquals(peer.localAddress(), r.from());
            assertSame(first, r.from(), "one InetSocketAddress instance per peer");
        }
        assertEquals(COUNT, seen.cardinality());
    }

    @Test
    void closeDuringBlockedReceiveReturnsWithinOneSecond() throws Exception {
        TestPacketPool pool = new TestPacketPool(8, 0, 1500);
        RecordingListener l = new RecordingListener(pool);
        UdpTransport t = open(spec(loopback4(), 8), l);
        InetSocketAddress bound = t.localAddress();
        Thread.sleep(200); // the receive thread is parked in select
        long start = System.nanoTime();
        t.close();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 1000, "close took " + millis + " ms");
        assertTrue(l.awaitClosed(1000));
        assertEquals(List.of("closed"), l.closedReasons);
        assertEquals(0, pool.outstanding(), "the spare packet is back in the pool");
        // the port is free again
        try (DatagramChannel again = DatagramChannel.open()) {
            again.bind(bound);
        }
    }

    @Test
    void closeDuringBackPressureWaitReturnsWithinOneSecond() throws Exception {
        TestPacketPool pool = new TestPacketPool(2, 0, 1500);
        RecordingListener l = new RecordingListener(pool);
        l.keep = true; // the listener holds on to both packets: the pool stays empty
        UdpTransport t = open(spec(loopback4(), 4), l);
        try (DatagramChannel peer = DatagramChannel.open()) {
            peer.bind(loopback4());
            for (int i = 0; i < 5; i++) {
                peer.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), t.localAddress());
            }
            Thread.sleep(200);
            long start = System.nanoTime();
            t.close();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 1000, "close took " + millis + " ms");
        } finally {
            t.close();
            l.releaseKept();
        }
        assertEquals(0, pool.outstanding());
    }

    @Test
    void closeFromInsideTheListenerDoesNotDeadlock() throws Exception {
        TestPacketPool pool = new TestPacketPool(8, 0, 1500);
        AtomicReference<UdpTransport> self = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        RecordingListener l = new RecordingListener(pool) {
            @Override
            public void received(PacketBatch batch) {
                super.received(batch);
                self.get().close();
                done.countDown();
            }
        };
        UdpTransport t = UdpTransport.open(spec(loopback4(), 8), l, () -> {
        });
        self.set(t);
        t.start();
        try (DatagramChannel peer = DatagramChannel.open()) {
            peer.bind(loopback4());
            peer.send(ByteBuffer.wrap(new byte[] {42}), t.localAddress());
            assertTrue(done.await(2, TimeUnit.SECONDS));
            assertTrue(l.awaitClosed(2000));
        } finally {
            t.close();
        }
        assertEquals(0, pool.outstanding());
    }

    @Test
    void bindConflictNamesTheAddress() throws Exception {
        TestPacketPool pool = new TestPacketPool(4, 0, 1500);
        RecordingListener l = new RecordingListener(pool);
        UdpTransport first = open(spec(loopback4(), 4), l);
        try {
            int port = first.localAddress().getPort();
            TransportSpec same = spec(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 4);
            BindException e = assertThrows(BindException.class, () -> UdpTransport.open(same, l, () -> {
            }));
            assertEquals("cannot bind UDP 127.0.0.1:" + port + ": address already in use", e.getMessage());
        } finally {
            first.close();
        }
    }

    @Test
    void bindToAnAddressThisHostDoesNotHaveNamesTheAddress() throws Exception {
        TestPacketPool pool = new TestPacketPool(4, 0, 1500);
        // TEST-NET-1 (RFC 5737): never configured on a host, so the bind fails without any traffic
        TransportSpec spec = spec(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 1194), 4);
        IOException e = assertThrows(IOException.class, () -> UdpTransport.open(spec, new RecordingListener(pool), () -> {
        }));
        assertEquals("cannot bind UDP 192.0.2.1:1194: cannot assign requested address", e.getMessage());
    }

    @Test
    void ipv6AddressesAreFormattedShort() throws Exception {
        assertEquals("[::1]:1194", Addresses.format(new InetSocketAddress(InetAddress.getByName("::1"), 1194)));
        assertEquals("[::]:0", Addresses.format(new InetSocketAddress(InetAddress.getByName("::"), 0)));
        assertEquals("[2001:db8::1:0:0:1]:443",
                Addresses.format(new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:1:0:0:1"), 443)));
        assertEquals("[2001:db8:0:1:1:1:1:1]:1",
                Addresses.format(new InetSocketAddress(InetAddress.getByName("2001:db8:0:1:1:1:1:1"), 1)));
        assertEquals("0.0.0.0:1194", Addresses.format(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 1194)));
    }

    @Test
    void emptyPoolIsBackPressureCountedAndNeverAHotSpin() throws Exception {
        TestPacketPool pool = new TestPacketPool(2, 0, 1500);
        RecordingListener l = new RecordingListener(pool);
        l.keep = true;
        UdpTransport t = open(spec(loopback4(), 4), l);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (DatagramChannel peer = DatagramChannel.open()) {
            peer.bind(loopback4());
            for (int i = 0; i < 2; i++) {
                peer.send(ByteBuffer.wrap(new byte[] {(byte) i}), t.localAddress());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (l.received.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertEquals(2, l.received.size());
            // the pool is now empty; keep datagrams coming for 400 ms and watch the receive thread's CPU time
            Thread rx = receiveThread(t);
            long cpuBefore = mx.getThreadCpuTime(rx.getId());
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
            int sent = 0;
            while (System.nanoTime() < end && sent < 200) {
                peer.send(ByteBuffer.wrap(new byte[] {7}), t.localAddress());
                sent++;
                Thread.sleep(2);
            }
            Thread.sleep(50);
            long cpuMillis = TimeUnit.NANOSECONDS.toMillis(mx.getThreadCpuTime(rx.getId()) - cpuBefore);
            assertTrue(cpuMillis < 150, "receive thread used " + cpuMillis + " ms of CPU in 450 ms while the pool was empty");
            assertTrue(t.counterValues().drops(Drop.POOL_EMPTY) > 0, "pool-empty drops counted");
            assertEquals(2, l.received.size(), "nothing delivered without packets");

            // the pool recovers: traffic flows again
            l.keep = false;
            l.releaseKept();
            long dropsBefore = t.counterValues().drops(Drop.POOL_EMPTY);
            Thread.sleep(30);
            peer.send(ByteBuffer.wrap(new byte[] {9, 9}), t.localAddress());
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (l.received.stream().noneMatch(r -> r.data().length == 2) && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertTrue(l.received.stream().anyMatch(r -> r.data().length == 2), "delivered after the pool recovered");
            assertTrue(t.counterValues().drops(Drop.POOL_EMPTY) >= dropsBefore);
        } finally {
            t.close();
            l.releaseKept();
        }
        assertEquals(0, pool.outstanding());
    }

    private static Thread receiveThread(UdpTransport t) {
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().equals("tunnelbus-udp-rx " + Addresses.format(t.localAddress()))) {
                return th;
            }
        }
        throw new AssertionError("no receive thread for " + t);
    }

    @Test
    void datagramsLargerThanAPacketAreDroppedAsTooBig() throws Exception {
        TestPacketPool pool = new TestPacketPool(4, 16, 64);
        RecordingListener l = new RecordingListener(pool);
        UdpTransport t = open(spec(loopback4(), 4), l);
        try (DatagramChannel peer = DatagramChannel.open()) {
            peer.bind(loopback4());
            peer.send(ByteBuffer.wrap(new byte[200]), t.localAddress());
            peer.send(ByteBuffer.wrap(new byte[64]), t.localAddress()); // fills the buffer: may be truncated
            peer.send(ByteBuffer.wrap(new byte[63]), t.localAddress()); // fits
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (l.received.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertEquals(1, l.received.size());
            assertEquals(63, l.received.get(0).data().length);
            assertEquals(2, t.counterValues().drops(Drop.TOO_BIG));
        } finally {
            t.close();
        }
        assertEquals(0, pool.outstanding());
    }

    @Test
    void packetsLargerThanAUdpPayloadAreNotSent() throws Exception {
        TestPacketPool pool = new TestPacketPool(2, 0, 70_000);
        RecordingListener l = new RecordingListener(pool);
        UdpTransport t = open(spec(loopback4(), 4), l);
        try {
            PacketBatch batch = new PacketBatch(1);
            batch.add(pool.packet(new byte[65_508], t.localAddress()));
            t.send(batch);
            assertEquals(1, t.counterValues().drops(Drop.TOO_BIG));
            assertEquals(0, t.counterValues().packetsOut());
        } finally {
            t.close();
        }
        assertEquals(0, pool.outstanding());
    }

    @Test
    void interleavedPeersEachKeepOneAddressInstance() throws Exception {
        TestPacketPool pool = new TestPacketPool(64, 0, 1500);
        RecordingListener l = new RecordingListener(pool);
        UdpTransport t = open(spec(loopback4(), 8), l);
        List<DatagramChannel> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                DatagramChannel p = DatagramChannel.open();
                p.bind(loopback4());
                peers.add(p);
            }
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < peers.size(); i++) {
                    peers.get(i).send(ByteBuffer.wrap(new byte[] {(byte) i}), t.localAddress());
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (l.received.size() < 30 && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertEquals(30, l.received.size());
            InetSocketAddress[] instance = new InetSocketAddress[3];
            for (RecordingListener.Received r : l.received) {
                int i = r.data()[0];
                assertEquals(peers.get(i).getLocalAddress(), r.from());
                if (instance[i] == null) {
                    instance[i] = r.from();
                }
                assertSame(instance[i], r.from(), "peer " + i + " always gets the same instance");
            }
        } finally {
            t.close();
            for (DatagramChannel p : peers) {
                p.close();
            }
        }
    }

    @Test
    void sendIsThreadSafe() throws Exception {
        TestPacketPool sendPool = new TestPacketPool(1024, 0, 256);
        TestPacketPool recvPool = new TestPacketPool(1024, 0, 256);
        RecordingListener ls = new RecordingListener(sendPool);
        RecordingListener lr = new RecordingListener(recvPool);
        UdpTransport s = open(spec(loopback4(), 8), ls);
        UdpTransport r = open(spec(loopback4(), 32), lr);
        try {
            int threads = 4;
            int each = 200;
            Thread[] ts = new Thread[threads];
            for (int k = 0; k < threads; k++) {
                int id = k;
                ts[k] = new Thread(() -> {
                    PacketBatch batch = new PacketBatch(8);
                    for (int i = 0; i < each; i++) {
                        Packet p = sendPool.allocate();
                        p.put(new byte[] {(byte) id, (byte) i}, 0, 2);
                        p.address(r.localAddress());
                        batch.add(p);
                        if (batch.isFull()) {
                            s.send(batch);
                            try {
                                Thread.sleep(1); // stay well under the receive buffer
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                    s.send(batch);
                });
                ts[k].start();
            }
            for (Thread th : ts) {
                th.join(10_000);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (lr.received.size() < threads * each && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertEquals(threads * each, s.counterValues().packetsOut());
            assertEquals(threads * each, lr.received.size());
        } finally {
            s.close();
            r.close();
        }
        assertEquals(0, sendPool.outstanding());
        assertEquals(0, recvPool.outstanding());
    }

    @Test
    void sendClearsAndRestoresTheCallersInterruptWithoutClosingTheSocket() throws Exception {
        TestPacketPool pool = new TestPacketPool(8, 0, 256);
        RecordingListener l = new RecordingListener(pool);
        UdpTransport t = open(spec(loopback4(), 4), l);
        try {
            PacketBatch batch = new PacketBatch(1);
            batch.add(pool.packet(new byte[] {1}, t.localAddress()));
            Thread.currentThread().interrupt();
            t.send(batch);
            assertTrue(Thread.interrupted(), "interrupt status restored");
            assertFalse(t.isClosed());
            UdpTransportContractTest.awaitCount(l, 1);
        } finally {
            Thread.interrupted();
            t.close();
        }
    }

    @Test
    void factoryDeactivationClosesItsTransports() throws Exception {
        UdpTransportFactory factory = new UdpTransportFactory();
        TestPacketPool pool = new TestPacketPool(8, 0, 256);
        RecordingListener l = new RecordingListener(pool);
        factory.open(spec(loopback4(), 4), l);
        factory.open(spec(loopback4(), 4), new RecordingListener(pool));
        assertEquals(2, factory.openCount());
        factory.deactivate();
        assertTrue(l.awaitClosed(1000));
        assertEquals(List.of("UDP transport module stopping"), l.closedReasons);
        assertEquals(0, factory.openCount());
        assertThrows(IOException.class, () -> factory.open(spec(loopback4(), 4), l));
    }

    @Test
    void addressCacheReturnsTheFirstInstanceForEqualAddresses() throws Exception {
        SourceAddressCache cache = new SourceAddressCache();
        InetSocketAddress a1 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5000);
        InetSocketAddress a2 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5000);
        assertSame(a1, cache.canonical(a1));
        assertSame(a1, cache.canonical(a2));
        // SIZE other peers push a1 out (round-robin)
        for (int i = 0; i < SourceAddressCache.SIZE; i++) {
            cache.canonical(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 6000 + i));
        }
        assertSame(a2, cache.canonical(a2));
    }
}
