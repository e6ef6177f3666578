package org.tunnelbus.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.api.transport.TransportFactory;
import org.tunnelbus.api.transport.TransportListener;
import org.tunnelbus.api.transport.TransportSpec;

/**
 * Opens {@link MemoryTransport}s on a private in-memory "network" (after wireguard-go's
 * {@code conn/bindtest}): a datagram sent to an address reaches the transport bound there, optionally
 * through a {@link LossyLink}. Port 0 picks a free port. Never a stand-in for a real socket in an
 * acceptance test.
 */
public final class MemoryTransportFactory implements TransportFactory {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Map<InetSocketAddress, MemoryTransport> bound = new ConcurrentHashMap<>();
    private final AtomicInteger nextPort = new AtomicInteger(40_000);
    private final AtomicLong unroutable = new AtomicLong();
    private final LossyLink link;

    /** A perfect network. */
    public MemoryTransportFactory() {
        this(null);
    }

    /** A network whose every datagram crosses {@code link} (null: perfect). */
    public MemoryTransportFactory(LossyLink link) {
        this.link = link;
    }

    @Override
    public MemoryTransport open(TransportSpec spec, TransportListener parent) throws IOException {
        InetSocketAddress local = spec.local();
        if (local.getPort() == 0) {
            local = new InetSocketAddress(local.getAddress() == null || local.getAddress().isAnyLocalAddress()
                    ? LOOPBACK : local.getAddress(), nextPort.getAndIncrement());
        }
        MemoryTransport t = new MemoryTransport(this, local, spec, parent);
        if (bound.putIfAbsent(local, t) != null) {
            throw new IOException("cannot bind " + local + ": address already in use (in-memory network)");
        }
        t.start();
        return t;
    }

    /** Two transports connected to each other: {@code [0]} sends to {@code [1]} and back. */
    public MemoryTransport[] pair(TransportListener a, TransportListener b) throws IOException {
        InetSocketAddress aAddr = new InetSocketAddress(LOOPBACK, nextPort.getAndIncrement());
        InetSocketAddress bAddr = new InetSocketAddress(LOOPBACK, nextPort.getAndIncrement());
        MemoryTransport ta = open(new TransportSpec(aAddr, bAddr, 32, 0, 0), a);
        MemoryTransport tb = open(new TransportSpec(bAddr, aAddr, 32, 0, 0), b);
        return new MemoryTransport[] {ta, tb};
    }

    /** Datagrams sent to an address where nothing was bound. */
    public long unroutable() {
        return unroutable.get();
    }

    void route(InetSocketAddress from, InetSocketAddress to, byte[] data) {
        MemoryTransport dst = bound.get(to);
        if (dst == null) {
            unroutable.incrementAndGet();
            return;
        }
        if (link == null) {
            dst.deliver(from, data);
        } else {
            link.send(data, d -> dst.deliver(from, d));
        }
    }

    void unbind(MemoryTransport t) {
        bound.remove(t.localAddress(), t);
    }
}
