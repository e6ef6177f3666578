package org.tunnelbus.transport.tcp.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.transport.TransportListener;
import org.tunnelbus.transport.tcp.internal.TcpCounters.Drop;

/**
 * The receive side shared by every connection of a transport: gathers decoded packets of all connections
 * into one batch for {@code parent.received}, and waits (bounded) for the pool when it runs dry.
 *
 * <p>Back-pressure: when the pool is empty the batch held is handed over first (so the pipeline can finish
 * and release packets), then the thread parks with exponential back-off for at most {@value #POOL_WAIT_NANOS}
 * ns, never spinning. If the pool is still empty the packet is read and discarded ({@code drop.pool-empty}):
 * the stream stays in sync and the loss is visible, as on UDP.
 *
 * <p>Owned by the I/O thread: not thread-safe.
 */
final class Inbound {
    private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);
    static final long PARK_MIN_NANOS = 20_000L;
    static final long PARK_MAX_NANOS = 1_000_000L;
    static final long POOL_WAIT_NANOS = 10_000_000L;

    private final TransportListener parent;
    private final PacketAllocator allocator;
    private final TcpCounters counters;
    private final PacketBatch batch;
    private final String name;

    Inbound(TransportListener parent, int batchSize, TcpCounters counters, String name) {
        this.parent = parent;
        this.allocator = parent.allocator();
        this.counters = counters;
        this.batch = new PacketBatch(batchSize);
        this.name = name;
    }

    int maxLength() {
        return allocator.capacity();
    }

    /** A packet from the pool, after the back-pressure wait if needed; null if it stayed empty. */
    Packet allocate() {
        Packet p = allocator.allocate();
        if (p != null) {
            return p;
        }
        deliver();
        long deadline = System.nanoTime() + POOL_WAIT_NANOS;
        for (long park = PARK_MIN_NANOS; System.nanoTime() - deadline < 0; park = Math.min(park * 2, PARK_MAX_NANOS)) {
            LockSupport.parkNanos(park);
            p = allocator.allocate();
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** One complete packet of {@code from}'s connection. */
    void add(Packet p, InetSocketAddress from) {
        p.address(from);
        counters.received(p.length());
        batch.add(p);
        if (batch.isFull()) {
            deliver();
        }
    }

    void discarded() {
        counters.drop(Drop.POOL_EMPTY);
    }

    /** Hands what was gathered to the parent. */
    void deliver() {
        if (batch.isEmpty()) {
            return;
        }
        try {
            parent.received(batch);
        } catch (RuntimeException e) {
            LOG.warn("TCP {}: the listener failed in received(): {}", name, e.toString());
        } finally {
            batch.releaseAll(); // the parent broke its contract if anything is left: do not leak
        }
    }

    /** Releases what was gathered and not delivered (closing). */
    void releaseAll() {
        batch.releaseAll();
    }
}
