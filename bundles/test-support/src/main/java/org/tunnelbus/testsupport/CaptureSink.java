package org.tunnelbus.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.PacketSink;

/**
 * A sink that keeps what the chain delivers, in order, for a test to inspect. It owns the packets it
 * holds: {@link #take()} hands one over (the caller releases it), {@link #takeBytes()} copies and releases,
 * {@link #clear()} releases everything. Thread-safe.
 */
public final class CaptureSink implements PacketSink {
    private final String name;
    private final LinkedBlockingQueue<Packet> packets = new LinkedBlockingQueue<>();
    private final AtomicInteger flushes = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();

    public CaptureSink(String name) {
        this.name = name;
    }

    @Override
    public void accept(Packet packet) {
        accepted.incrementAndGet();
        packets.add(packet);
    }

    @Override
    public void flush() {
        flushes.incrementAndGet();
    }

    /** Packets waiting to be taken. */
    public int size() {
        return packets.size();
    }

    /** Packets received so far, taken or not. */
    public int accepted() {
        return accepted.get();
    }

    /** How often the bus flushed this sink (once per batch that touched it). */
    public int flushes() {
        return flushes.get();
    }

    /** The oldest packet, or null; the caller owns it now. */
    public Packet take() {
        return packets.poll();
    }

    /** The oldest packet, waiting up to {@code timeoutMs}; the caller owns it. */
    public Packet take(long timeoutMs) throws InterruptedException {
        return packets.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** The data of the oldest packet (the packet is released), or null. */
    public byte[] takeBytes() {
        Packet p = packets.poll();
        return p == null ? null : Packets.bytesAndRelease(p);
    }

    /** The data of every packet, in order; the packets are released. */
    public List<byte[]> drainBytes() {
        List<byte[]> out = new ArrayList<>();
        byte[] b;
        while ((b = takeBytes()) != null) {
            out.add(b);
        }
        return out;
    }

    /** Releases every packet held. */
    public void clear() {
        Packet p;
        while ((p = packets.poll()) != null) {
            p.release();
        }
    }

    @Override
    public String toString() {
        return "CaptureSink[" + name + ", " + packets.size() + " held]";
    }
}
