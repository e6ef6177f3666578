package org.tunnelbus.device.tun.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.packet.Recycler;

/**
 * A bounded pool of direct buffers with headroom, standing in for the core's pool in tests (it allocates
 * nothing per packet, so the benchmark's allocation figures are the device's own).
 */
final class TestAllocator implements PacketAllocator, Recycler {
    static final int HEADROOM = 64;

    private final ArrayBlockingQueue<Packet> free;
    private final AtomicLong outstanding = new AtomicLong();
    private final int capacity;

    TestAllocator(int packets, int capacity) {
        this.capacity = capacity;
        this.free = new ArrayBlockingQueue<>(packets);
        for (int i = 0; i < packets; i++) {
            Packet p = new Packet(ByteBuffer.allocateDirect(HEADROOM + capacity), HEADROOM, this);
            p.release();
        }
        outstanding.set(0);
    }

    /** A pool for ordinary packets (MTU up to 9000). */
    static TestAllocator small() {
        return new TestAllocator(512, 9216);
    }

    /** A pool whose buffers hold a 64 KiB GSO super-packet. */
    static TestAllocator gso() {
        return new TestAllocator(512, TunDevice.GSO_MAX_READ + 64);
    }

    @Override
    public Packet allocate() {
        Packet p = free.poll();
        if (p != null) {
            p.claim();
            outstanding.incrementAndGet();
        }
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
    public int headroom() {
        return HEADROOM;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public long outstanding() {
        return outstanding.get();
    }

    @Override
    public void recycle(Packet packet) {
        outstanding.decrementAndGet();
        free.offer(packet);
    }
}
