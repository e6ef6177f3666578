package org.tunnelbus.transport.udp.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.transport.TransportListener;

/** A transport parent that records what it gets; it releases every packet unless told to keep them. */
class RecordingListener implements TransportListener {
    record Received(byte[] data, InetSocketAddress from, int offset, Thread thread) {
    }

    final PacketAllocator pool;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<Packet> kept = new CopyOnWriteArrayList<>();
    final List<String> closedReasons = new CopyOnWriteArrayList<>();
    final AtomicLong batches = new AtomicLong();
    final AtomicInteger maxBatch = new AtomicInteger();
    final CountDownLatch closed = new CountDownLatch(1);
    volatile boolean keep;
    volatile boolean receivedAfterClosed;

    RecordingListener(PacketAllocator pool) {
        this.pool = pool;
    }

    @Override
    public PacketAllocator allocator() {
        return pool;
    }

    @Override
    public void received(PacketBatch batch) {
        if (closed.getCount() == 0) {
            receivedAfterClosed = true;
        }
        batches.incrementAndGet();
        maxBatch.accumulateAndGet(batch.size(), Math::max);
        for (int i = 0; i < batch.size(); i++) {
            Packet p = batch.get(i);
            byte[] copy = new byte[p.length()];
            p.data().get(copy);
            received.add(new Received(copy, p.address(), p.offset(), Thread.currentThread()));
            if (keep) {
                kept.add(p);
            } else {
                p.release();
            }
        }
        batch.clear();
    }

    @Override
    public void closed(InetSocketAddress remote, String reason) {
        closedReasons.add(reason);
        closed.countDown();
    }

    boolean awaitClosed(long millis) throws InterruptedException {
        return closed.await(millis, TimeUnit.MILLISECONDS);
    }

    void releaseKept() {
        for (Packet p : kept) {
            p.release();
        }
        kept.clear();
    }
}
