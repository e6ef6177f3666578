package org.tunnelbus.core.internal.buffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.packet.Recycler;

/**
 * A bounded pool of packets whose buffers are carved from a few large direct slabs.
 *
 * <p>Every packet's buffer holds {@code headroom + bufferSize + tailroom} bytes; packets start at
 * 64-byte boundaries of their slab so two packets never share a cache line. The free list is a
 * {@link MpmcRing}: {@link #allocate()} and {@link Packet#release()} cost one CAS each and allocate
 * nothing. An empty pool returns null (back-pressure, not an error).
 *
 * <p><b>Leak check</b> (config {@code leak.check} or {@code -Dtunnelbus.leakcheck=true}): every allocation
 * records its stack and thread, so {@link #leaks()} can name where the oldest unreleased packet came from.
 * It allocates on the data path and is meant for tests. Double release is caught by {@link Packet} itself.
 *
 * <p>Thread-safe.
 */
public final class PacketPool implements PacketAllocator, Recycler {
    /** System property that switches the leak check on for every pool of the process. */
    public static final String LEAKCHECK_PROPERTY = "tunnelbus.leakcheck";

    private static final int SLAB_BYTES = 16 << 20;
    private static final int ALIGN = 64;

    private final MpmcRing<Packet> free;
    private final int packets;
    private final int headroom;
    private final int bufferSize;
    private final int tailroom;
    private final long directBytes;
    private volatile boolean leakCheck;
    private volatile boolean tracked;
    private final Map<Packet, Site> sites = new ConcurrentHashMap<>();
    private final AtomicLong siteSeq = new AtomicLong();

    private record Site(long seq, String thread, Throwable where) {
    }

    /**
     * @param packets    number of packets (the bound)
     * @param bufferSize bytes of data a fresh packet can hold behind its headroom (without tailroom)
     * @param headroom   bytes kept free in front of the data
     * @param tailroom   extra bytes behind {@code bufferSize} for tags and padding
     * @param leakCheck  record allocation sites (also on when {@value #LEAKCHECK_PROPERTY} is true)
     */
    public PacketPool(int packets, int bufferSize, int headroom, int tailroom, boolean leakCheck) {
        if (packets < 1 || bufferSize < 1 || headroom < 0 || tailroom < 0) {
            throw new IllegalArgumentException("pool of " + packets + " x " + headroom + "+" + bufferSize + "+" + tailroom);
        }
        this.packets = packets;
        this.headroom = headroom;
        this.bufferSize = bufferSize;
        this.tailroom = tailroom;
        this.leakCheck = leakCheck || Boolean.getBoolean(LEAKCHECK_PROPERTY);
        this.tracked = this.leakCheck;

        int bytesPerPacket = headroom + bufferSize + tailroom;
        int stride = (bytesPerPacket + ALIGN - 1) / ALIGN * ALIGN;
        int perSlab = Math.max(1, SLAB_BYTES / stride);
        free = new MpmcRing<>(Math.max(2, packets));
        List<ByteBuffer> slabs = new ArrayList<>();
        long total = 0;
        int made = 0;
        while (made < packets) {
            int n = Math.min(perSlab, packets - made);
            // + ALIGN so that the first packet can start on a 64-byte boundary whatever the slab's address
            ByteBuffer slab = ByteBuffer.allocateDirect(n * stride + ALIGN);
            total += slab.capacity();
            int base = slab.alignmentOffset(0, ALIGN) == 0 ? 0 : ALIGN - slab.alignmentOffset(0, ALIGN);
            for (int i = 0; i < n; i++) {
                ByteBuffer buf = slab.slice(base + i * stride, bytesPerPacket);
                free.offer(new Packet(buf, headroom, this));
            }
            slabs.add(slab);
            made += n;
        }
        directBytes = total;
    }

    @Override
    public Packet allocate() {
        Packet p = free.poll();
        if (p == null) {
            return null;
        }
        p.claim();
        if (leakCheck) {
            Thread t = Thread.currentThread();
            sites.put(p, new Site(siteSeq.incrementAndGet(), t.getName(), new Throwable("allocated here")));
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
    public void recycle(Packet packet) {
        if (tracked) {
            sites.remove(packet);
        }
        if (!free.offer(packet)) {
            // Cannot happen for packets of this pool: the ring holds all of them.
            throw new IllegalStateException("packet pool overflow: a packet of another pool was recycled here");
        }
    }

    @Override
    public int headroom() {
        return headroom;
    }

    @Override
    public int capacity() {
        return bufferSize + tailroom;
    }

    /** Bytes of data a fresh packet holds before the tailroom (config {@code pool.buffer.size}). */
    public int bufferSize() {
        return bufferSize;
    }

    public int tailroom() {
        return tailroom;
    }

    /** The bound: how many packets the pool owns. */
    public int size() {
        return packets;
    }

    /** Direct memory the slabs take. */
    public long directBytes() {
        return directBytes;
    }

    @Override
    public long outstanding() {
        return Math.max(0, packets - free.size());
    }

    public boolean leakCheck() {
        return leakCheck;
    }

    /** Switches allocation-site recording on or off for allocations from now on. */
    public void leakCheck(boolean on) {
        boolean v = on || Boolean.getBoolean(LEAKCHECK_PROPERTY);
        if (v) {
            tracked = true;
        }
        leakCheck = v;
    }

    /** Outstanding packets and, with the leak check on, where the oldest of them was allocated. */
    public LeakReport leaks() {
        long n = outstanding();
        if (n == 0) {
            return LeakReport.NONE;
        }
        Site first = null;
        for (Site s : sites.values()) {
            if (first == null || s.seq < first.seq) {
                first = s;
            }
        }
        return first == null ? new LeakReport(n, null, "") : new LeakReport(n, first.where, first.thread);
    }

    @Override
    public String toString() {
        return "PacketPool[" + packets + " x " + headroom + "+" + bufferSize + "+" + tailroom + ", outstanding "
                + outstanding() + "]";
    }
}
