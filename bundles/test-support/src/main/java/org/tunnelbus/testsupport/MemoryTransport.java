package org.tunnelbus.testsupport;

import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.api.transport.TransportListener;
import org.tunnelbus.api.transport.TransportSpec;

/**
 * A datagram transport on a {@link MemoryTransportFactory}'s in-memory network. A receive thread turns
 * arriving datagrams into pooled packets (from the listener's allocator), stamps their source address and
 * hands them over in batches, as a UDP transport does. {@link #send} copies each packet's data to its
 * {@link Packet#address()} (or the spec's remote) and releases it.
 */
public final class MemoryTransport implements Transport {
    private record Datagram(InetSocketAddress from, byte[] data) {
    }

    private final MemoryTransportFactory network;
    private final InetSocketAddress local;
    private final TransportSpec spec;
    private final TransportListener parent;
    private final BlockingQueue<Datagram> inbox = new LinkedBlockingQueue<>(65_536);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread receiver;
    private volatile boolean open = true;

    MemoryTransport(MemoryTransportFactory network, InetSocketAddress local, TransportSpec spec, TransportListener parent) {
        this.network = network;
        this.local = local;
        this.spec = spec;
        this.parent = parent;
        this.receiver = new Thread(this::receiveLoop, "memory-transport-" + local.getPort());
        receiver.setDaemon(true);
    }

    void start() {
        receiver.start();
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public void send(PacketBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            Packet p = batch.get(i);
            if (p == null) {
                continue;
            }
            InetSocketAddress to = p.address() != null ? p.address() : spec.remote();
            if (!open || to == null) {
                dropped.incrementAndGet();
            } else {
                network.route(local, to, Packets.bytes(p));
                sent.incrementAndGet();
            }
            p.release();
        }
        batch.clear();
    }

    void deliver(InetSocketAddress from, byte[] data) {
        if (!open || !inbox.offer(new Datagram(from, data))) {
            dropped.incrementAndGet();
        }
    }

    private void receiveLoop() {
        PacketBatch batch = new PacketBatch(spec.batch());
        Datagram carry = null;
        while (open) {
            try {
                Datagram d = carry != null ? carry : inbox.poll(20, TimeUnit.MILLISECONDS);
                carry = null;
                while (d != null) {
                    Packet p = parent.allocator().allocate();
                    if (p == null) {
                        carry = d; // pool empty: back-pressure, like a socket buffer filling up
                        break;
                    }
                    if (d.data.length > p.tailroom()) {
                        p.release();
                        dropped.incrementAndGet();
                    } else {
                        p.put(d.data, 0, d.data.length);
                        p.address(d.from);
                        batch.add(p);
                        received.incrementAndGet();
                    }
                    d = batch.isFull() ? null : inbox.poll();
                }
                if (!batch.isEmpty()) {
                    parent.received(batch);
                    batch.releaseAll();
                } else if (carry != null) {
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                break;
            }
        }
        batch.releaseAll();
    }

    /** Idempotent; returns within a second. */
    @Override
    public void close() {
        synchronized (this) {
            if (!open) {
                return;
            }
            open = false;
        }
        receiver.interrupt();
        try {
            receiver.join(900);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        network.unbind(this);
        inbox.clear();
        parent.closed(null, "in-memory transport " + local + " closed");
    }

    public long sent() {
        return sent.get();
    }

    public long received() {
        return received.get();
    }

    /** Datagrams dropped: sent after close or without address, arriving at a full inbox, too large. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public String toString() {
        return "MemoryTransport[" + local + (spec.remote() == null ? "" : " -> " + spec.remote()) + "]";
    }
}
