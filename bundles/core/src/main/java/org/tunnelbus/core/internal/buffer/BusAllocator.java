package org.tunnelbus.core.internal.buffer;

import java.util.ArrayList;
import java.util.List;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.packet.Recycler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocator the bus hands out: a stable facade over the current {@link PacketPool}, so that devices
 * and transports may keep it while a configuration change or a stage that needs more headroom makes
 * the bus {@link #replace replace} the pool. Packets of a retired pool go back to that pool (a packet
 * knows its {@link Recycler}), which is garbage once they are all home.
 *
 * <p>Costs one volatile read per allocation on top of the pool. Thread-safe.
 */
public final class BusAllocator implements PacketAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(BusAllocator.class);

    private volatile PacketPool current;
    private final List<PacketPool> retired = new ArrayList<>();

    public BusAllocator(PacketPool initial) {
        this.current = initial;
    }

    public PacketPool current() {
        return current;
    }

    /** Puts {@code next} in service; packets still out from the old pool go home to it. */
    public synchronized void replace(PacketPool next) {
        PacketPool old = current;
        current = next;
        retired.removeIf(p -> p.outstanding() == 0);
        if (old.outstanding() > 0) {
            retired.add(old);
        }
        LOG.info("packet pool: {} packets of {}+{}+{} bytes ({} MiB direct){}", next.size(), next.headroom(),
                next.bufferSize(), next.tailroom(), next.directBytes() >> 20,
                old.outstanding() > 0 ? "; " + old.outstanding() + " packets of the previous pool still out" : "");
    }

    @Override
    public Packet allocate() {
        return current.allocate();
    }

    @Override
    public int allocate(PacketBatch batch) {
        return current.allocate(batch);
    }

    @Override
    public int headroom() {
        return current.headroom();
    }

    @Override
    public int capacity() {
        return current.capacity();
    }

    @Override
    public long outstanding() {
        long n = current.outstanding();
        synchronized (this) {
            for (PacketPool p : retired) {
                n += p.outstanding();
            }
        }
        return n;
    }

    /** Leaks of the current pool and of retired pools that still have packets out. */
    public synchronized LeakReport leaks() {
        LeakReport r = current.leaks();
        for (PacketPool p : retired) {
            LeakReport o = p.leaks();
            if (o.hasLeaks()) {
                r = new LeakReport(r.count() + o.count(), r.firstSite() != null ? r.firstSite() : o.firstSite(),
                        r.firstSite() != null ? r.firstThread() : o.firstThread());
            }
        }
        return r;
    }

    @Override
    public String toString() {
        return current.toString();
    }
}
