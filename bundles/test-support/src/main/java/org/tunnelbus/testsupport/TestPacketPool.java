package org.tunnelbus.testsupport;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.packet.Recycler;

/**
 * A small bounded pool of direct packets for tests of transports and devices, which must not depend on the core
 * (whose pool is the core's implementation). Counts the packets out, so a test can assert that nothing leaked,
 * and the times it answered "empty".
 */
public final class TestPacketPool implements PacketAllocator, Recycler {
    private final ArrayBlockingQueue<Packet> free;
    private final int headroom;
    private final int capacity;
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicLong emptyAnswers = new AtomicLong();

    public TestPacketPool(int packets, int headroom, int capacity) {
        this.headroom = headroom;
        this.capacity = capacity;
        free = new ArrayBlockingQueue<>(packets);
        for (int i = 0; i < packets; i++) {
            Packet p = new Packet(ByteBuffer.allocateDirect(headroom + capacity), headroom, this);
            p.release(); // into the pool, marked free
        }
    }

    @Override
    public Packet allocate() {
        Packet p = free.poll();
        if (p == null) {
            emptyAnswers.incrementAndGet();
            return null;
        }
        p.claim();
        outstanding.incrementAndGet();
        return p;
    }

    @Override
    public int allocate(PacketBatch batch) {
        int n = 0;
        while (!batch.isFull()) {
            Packet p = allocate();
            if (p == null) {
                break;
            }
            batch.add(p);
            n++;
        }
        return n;
    }

    @Override
    public void recycle(Packet packet) {
        if (!free.offer(packet)) {
            throw new IllegalStateException("pool overflow: a packet that is not ours");
        }
        if (outstanding.get() > 0) {
            outstanding.decrementAndGet();
        }
    }

    @Override
    public int headroom() {
        return headroom;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public long outstanding() {
        return outstanding.get();
    }

    public long emptyAnswers() {
        return emptyAnswers.get();
    }

    /** A packet carrying {@code payload}, addressed to {@code to}. */
    public Packet packet(byte[] payload, java.net.InetSocketAddress to) {
        Packet p = allocate();
        if (p == null) {
            throw new IllegalStateException("test pool exhausted");
        }
        p.put(payload, 0, payload.length);
        p.address(to);
        return p;
    }
}
