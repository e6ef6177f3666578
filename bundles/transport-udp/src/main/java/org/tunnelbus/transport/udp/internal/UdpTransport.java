package org.tunnelbus.transport.udp.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.api.transport.TransportListener;
import org.tunnelbus.api.transport.TransportSpec;
import org.tunnelbus.transport.udp.internal.UdpCounters.Drop;

/**
 * One bound UDP socket: an NIO {@link DatagramChannel} read in batches by one thread, written by any.
 *
 * <h2>Flow</h2>
 * <pre>
 *  incoming (one receive thread)
 *    select(OP_READ) ──► for each queued datagram:
 *        packet = spare ?: allocator.allocate()          (pool empty ─► deliver batch, back-pressure wait)
 *        channel.receive(packet.buffer() at data offset) (zero copy into the pooled direct buffer)
 *        packet.address(cache.canonical(source))          (one InetSocketAddress per known peer)
 *        batch.add(packet) ── batch full / socket drained ─► parent.received(batch)
 *
 *  outgoing (any thread)
 *    send(batch) ──► for each packet: channel.send(packet.data(), packet.address()); packet.release()
 * </pre>
 *
 * <h2>Concurrency</h2>
 * <ul>
 * <li>The receive thread alone owns the selector, the receive batch, the spare packet, the source-address
 *     cache and the scratch buffer; none of them is shared.</li>
 * <li>{@link #send} runs on any number of threads at once: the channel serialises writers under its own
 *     write lock, counters are {@code LongAdder}s, log limiting is a CAS. Nothing is allocated per packet
 *     in steady state (the JDK caches the encoded destination of the previous send).</li>
 * <li>{@link #close} may be called from any thread, also from inside {@code parent.received}: it sets the
 *     closed flag, wakes the selector and waits (bounded) for the receive thread, then closes the selector
 *     and the channel. It never interrupts the receive thread.</li>
 * <li>The receive thread, as its last act, releases the packets it still holds and calls
 *     {@code parent.closed(null, reason)} exactly once; no {@code received} call follows it.</li>
 * </ul>
 *
 * <h2>Back-pressure</h2>
 * When the pool is empty the thread first hands over the batch it holds (so the pipeline can finish and
 * release packets), then parks with exponential back-off ({@value #PARK_MIN_NANOS} ns up to
 * {@value #PARK_MAX_NANOS} ns) for at most {@value #POOL_WAIT_NANOS} ns, never spinning. The socket is not
 * read meanwhile, so the kernel queue absorbs the burst. If the pool is still empty, up to one batch of
 * queued datagrams is read into a private scratch buffer and counted as {@code drop.pool-empty}, so that the
 * loss is visible and the queue holds fresh datagrams when the pool recovers.
 *
 * <h2>Interrupts</h2>
 * {@code DatagramChannel} is an {@code InterruptibleChannel}: a thread interrupted while it sends would close
 * the socket for everybody. {@link #send} therefore clears the caller's interrupt status for the duration of
 * the call and restores it afterwards.
 */
final class UdpTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);

    static final long PARK_MIN_NANOS = 20_000L;
    static final long PARK_MAX_NANOS = 1_000_000L;
    static final long POOL_WAIT_NANOS = 10_000_000L;
    /** Bound of the send retry when the socket send buffer is full (sum of the back-off parks, about 1.3 ms). */
    static final long SEND_PARK_MAX_NANOS = 640_000L;
    /** Safety net: the selector wakes this often even if a wakeup were lost. */
    static final long SELECT_TIMEOUT_MILLIS = 500;
    /** close() waits this long for the receive thread before closing the socket under it. */
    static final long CLOSE_JOIN_MILLIS = 800;
    static final long LOG_INTERVAL_MILLIS = 10_000;

    private static final int MAX_IPV4_PAYLOAD = 65_507;
    private static final int MAX_IPV6_PAYLOAD = 65_527;
    private static final Consumer<SelectionKey> IGNORE_KEY = key -> {
    };

    private final DatagramChannel channel;
    private final Selector selector;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final String name;
    private final TransportListener parent;
    private final PacketAllocator allocator;
    private final UdpCounters counters = new UdpCounters();
    private final Runnable onClosed;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    private volatile String closeReason = "closed";
    private Thread receiver;

    // receive thread only
    private final PacketBatch batch;
    private final SourceAddressCache sources = new SourceAddressCache();
    private Packet spare;
    private ByteBuffer scratch;

    private final LogLimiter tooBigLog = new LogLimiter(LOG_INTERVAL_MILLIS);
    private final LogLimiter emptyLog = new LogLimiter(LOG_INTERVAL_MILLIS);
    private final LogLimiter poolLog = new LogLimiter(LOG_INTERVAL_MILLIS);
    private final LogLimiter unreachableLog = new LogLimiter(LOG_INTERVAL_MILLIS);
    private final LogLimiter listenerLog = new LogLimiter(LOG_INTERVAL_MILLIS);
    private final LogLimiter sendLog = new LogLimiter(LOG_INTERVAL_MILLIS);

    private UdpTransport(DatagramChannel channel, Selector selector, InetSocketAddress local, InetSocketAddress remote,
            TransportSpec spec, TransportListener parent, Runnable onClosed) {
        this.channel = channel;
        this.selector = selector;
        this.local = local;
        this.remote = remote;
        this.name = remote == null ? Addresses.format(local) : Addresses.format(local) + " -> " + Addresses.format(remote);
        this.parent = parent;
        this.allocator = parent.allocator();
        this.batch = new PacketBatch(spec.batch());
        this.onClosed = onClosed;
    }

    /**
     * Binds (and, with {@code spec.remote()}, connects) the socket; the receive thread starts with {@link #start()}.
     *
     * @param onClosed run once when the transport has closed (the factory forgets it)
     * @throws IOException naming the address: "cannot bind UDP 0.0.0.0:1194: address already in use"
     */
    static UdpTransport open(TransportSpec spec, TransportListener parent, Runnable onClosed) throws IOException {
        InetSocketAddress asked = spec.local();
        if (asked.isUnresolved()) {
            throw new IOException("cannot bind UDP " + Addresses.format(asked) + ": host name is not resolved");
        }
        InetSocketAddress remote = spec.remote();
        if (remote != null && remote.isUnresolved()) {
            throw new IOException("cannot connect UDP to " + Addresses.format(remote) + ": host name is not resolved");
        }
        ProtocolFamily family = asked.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET;
        DatagramChannel channel = DatagramChannel.open(family);
        Selector selector = null;
        try {
            bufferSize(channel, StandardSocketOptions.SO_SNDBUF, spec.sndbuf(), asked, "send", "wmem_max");
            bufferSize(channel, StandardSocketOptions.SO_RCVBUF, spec.rcvbuf(), asked, "receive", "rmem_max");
            try {
                channel.bind(asked);
            } catch (IOException | RuntimeException e) {
                BindException b = new BindException("cannot bind UDP " + Addresses.format(asked) + ": " + Addresses.reason(e));
                b.initCause(e);
                throw b;
            }
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            if (remote != null) {
                try {
                    channel.connect(remote);
                } catch (IOException | RuntimeException e) {
                    throw new IOException("cannot connect UDP " + Addresses.format(local) + " to " + Addresses.format(remote)
                            + ": " + Addresses.reason(e), e);
                }
            }
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            return new UdpTransport(channel, selector, local, remote, spec, parent, onClosed);
        } catch (IOException | RuntimeException e) {
            closeQuietly(selector);
            closeQuietly(channel);
            throw e;
        }
    }

    private static void bufferSize(DatagramChannel channel, java.net.SocketOption<Integer> option, int asked,
            InetSocketAddress local, String what, String sysctl) throws IOException {
        if (asked <= 0) {
            return;
        }
        channel.setOption(option, asked);
        int got = channel.getOption(option);
        if (got < asked) {
            LOG.info("UDP {}: socket {} buffer is {} bytes, {} were asked (the kernel caps it at net.core.{})",
                    Addresses.format(local), what, got, asked, sysctl);
        }
    }

    /** Starts the receive thread. */
    void start() {
        Thread t = new Thread(this::receiveLoop, "tunnelbus-udp-rx " + name);
        t.setDaemon(true);
        receiver = t;
        t.start();
        LOG.info("UDP {}: open", name);
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    UdpCounters counterValues() {
        return counters;
    }

    boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------------------------------ receive

    private void receiveLoop() {
        try {
            while (!closed) {
                selector.select(IGNORE_KEY, SELECT_TIMEOUT_MILLIS);
                if (closed) {
                    break;
                }
                if (!channel.isOpen()) {
                    closeReason = "socket closed unexpectedly";
                    LOG.error("UDP {}: socket closed unexpectedly; the transport stops", name);
                    break;
                }
                drain();
            }
        } catch (ClosedChannelException e) {
            if (!closed) {
                closeReason = "socket closed unexpectedly (" + e.getClass().getSimpleName() + ")";
                LOG.error("UDP {}: socket closed unexpectedly ({}); the transport stops", name, e.getClass().getSimpleName());
            }
        } catch (IOException | RuntimeException | Error e) {
            if (!closed) {
                closeReason = "receive failed: " + Addresses.reason(e);
                LOG.error("UDP {}: receive failed, the transport stops: {}", name, Addresses.reason(e), e);
            }
        } finally {
            closed = true;
            batch.releaseAll();
            if (spare != null) {
                spare.release();
                spare = null;
            }
            closeQuietly(selector);
            closeQuietly(channel);
            try {
                parent.closed(null, closeReason);
            } catch (RuntimeException e) {
                LOG.warn("UDP {}: listener failed in closed(): {}", name, e.toString());
            }
            onClosed.run();
        }
    }

    /** Reads until the socket has nothing queued, handing over every full batch and the rest at the end. */
    private void drain() throws IOException {
        while (!closed) {
            Packet p = spare;
            if (p == null) {
                p = allocator.allocate();
                if (p == null) {
                    deliver();
                    p = awaitPacket();
                    if (p == null) {
                        if (!closed) {
                            dropQueued();
                        }
                        return;
                    }
                }
                spare = p;
            }
            ByteBuffer buf = p.buffer();
            int start = p.offset();
            int room = buf.capacity() - start;
            buf.limit(buf.capacity()).position(start);
            SocketAddress from;
            try {
                from = channel.receive(buf);
            } catch (PortUnreachableException e) {
                String tail = unreachableLog.permit();
                if (tail != null) {
                    LOG.warn("UDP {}: peer port unreachable (ICMP){}", name, tail);
                }
                continue;
            }
            if (from == null) {
                break;
            }
            int n = buf.position() - start;
            if (n >= room) {
                // recvfrom truncates silently: a datagram that fills the buffer may have been longer
                counters.drop(Drop.TOO_BIG);
                String tail = tooBigLog.permit();
                if (tail != null) {
                    LOG.warn("UDP {}: dropped a datagram from {} of {} bytes or more (packet buffers hold {}){}", name,
                            Addresses.format((InetSocketAddress) from), room, room - 1, tail);
                }
                continue;
            }
            if (n == 0) {
                counters.drop(Drop.EMPTY);
                String tail = emptyLog.permit();
                if (tail != null) {
                    LOG.warn("UDP {}: dropped an empty datagram from {}{}", name,
                            Addresses.format((InetSocketAddress) from), tail);
                }
                continue;
            }
            spare = null;
            p.setLength(n);
            p.address(sources.canonical((InetSocketAddress) from));
            counters.received(n);
            batch.add(p);
            if (batch.isFull()) {
                deliver();
            }
        }
        deliver();
    }

    private void deliver() {
        if (batch.isEmpty()) {
            return;
        }
        try {
            parent.received(batch);
        } catch (RuntimeException e) {
            String tail = listenerLog.permit();
            if (tail != null) {
                LOG.error("UDP {}: listener failed on a received batch: {}{}", name, e, tail);
            }
        }
        // ownership went to the listener: never release what it may still hold
        batch.clear();
    }

    /** Back-pressure: parks with back-off until the pool has a packet, at most {@link #POOL_WAIT_NANOS}. */
    private Packet awaitPacket() {
        long waited = 0;
        long park = PARK_MIN_NANOS;
        while (!closed && waited < POOL_WAIT_NANOS) {
            LockSupport.parkNanos(park);
            waited += park;
            Packet p = allocator.allocate();
            if (p != null) {
                return p;
            }
            park = Math.min(park << 1, PARK_MAX_NANOS);
        }
        return null;
    }

    /** The pool stayed empty: read up to one batch of queued datagrams into scratch and count them dropped. */
    private void dropQueued() throws IOException {
        if (scratch == null) {
            scratch = ByteBuffer.allocateDirect(MAX_IPV6_PAYLOAD + 1);
        }
        int dropped = 0;
        for (int i = 0; i < batch.capacity() && !closed; i++) {
            scratch.clear();
            SocketAddress from;
            try {
                from = channel.receive(scratch);
            } catch (PortUnreachableException e) {
                continue;
            }
            if (from == null) {
                break;
            }
            counters.drop(Drop.POOL_EMPTY);
            dropped++;
        }
        if (dropped > 0) {
            String tail = poolLog.permit();
            if (tail != null) {
                LOG.warn("UDP {}: packet pool empty for {} ms ({} packets out), dropped {} received datagrams{}", name,
                        POOL_WAIT_NANOS / 1_000_000, allocator.outstanding(), dropped, tail);
            }
        }
    }

    // --------------------------------------------------------------------------------------------- send

    @Override
    public void send(PacketBatch packets) {
        boolean interrupted = Thread.interrupted(); // an interrupt inside channel I/O would close the socket
        try {
            for (int i = 0, n = packets.size(); i < n; i++) {
                Packet p = packets.get(i);
                if (p == null) {
                    continue;
                }
                try {
                    sendOne(p);
                } finally {
                    p.release();
                }
            }
        } finally {
            packets.clear();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void sendOne(Packet p) {
        InetSocketAddress to = p.address();
        if (to == null) {
            to = remote;
        }
        if (to == null) {
            sendFailed(Drop.SEND_ERROR, null, "packet has no destination address");
            return;
        }
        int len = p.length();
        int max = to.getAddress() instanceof Inet4Address ? MAX_IPV4_PAYLOAD : MAX_IPV6_PAYLOAD;
        if (len > max) {
            sendFailed(Drop.TOO_BIG, to, len + " bytes exceed the largest UDP payload (" + max + ")");
            return;
        }
        if (remote != null && !to.equals(remote)) {
            sendFailed(Drop.SEND_ERROR, to, "the socket is connected to " + Addresses.format(remote));
            return;
        }
        ByteBuffer data = p.data();
        try {
            int sent = write(data, to);
            for (long park = PARK_MIN_NANOS; sent == 0 && park <= SEND_PARK_MAX_NANOS && !closed; park <<= 1) {
                LockSupport.parkNanos(park);
                sent = write(data, to);
            }
            if (sent == 0) {
                sendFailed(Drop.SEND_BUFFER_FULL, to, "socket send buffer full");
                return;
            }
            counters.sent(len);
        } catch (ClosedByInterruptException e) {
            sendFailed(Drop.SEND_ERROR, to, "thread " + Thread.currentThread().getName()
                    + " was interrupted while sending, which closed the socket");
        } catch (ClosedChannelException e) {
            if (closed) {
                counters.drop(Drop.SEND_ERROR); // sending after close: counted, not worth a line
            } else {
                sendFailed(Drop.SEND_ERROR, to, "socket closed");
            }
        } catch (IOException e) {
            sendFailed(Addresses.isMessageTooLong(e) ? Drop.TOO_BIG : Drop.SEND_ERROR, to, Addresses.reason(e));
        } catch (RuntimeException e) {
            // UnresolvedAddressException, UnsupportedAddressTypeException (IPv6 peer on an IPv4 socket), ...
            sendFailed(Drop.SEND_ERROR, to, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private int write(ByteBuffer data, InetSocketAddress to) throws IOException {
        return remote != null ? channel.write(data) : channel.send(data, to);
    }

    private void sendFailed(Drop reason, InetSocketAddress to, String why) {
        counters.drop(reason);
        String tail = sendLog.permit();
        if (tail != null) {
            LOG.warn("cannot send UDP {} to {}: {}{}", Addresses.format(local), Addresses.format(to), why, tail);
        }
    }

    // -------------------------------------------------------------------------------------------- close

    @Override
    public void close() {
        close("closed");
    }

    /** Closes with a reason that {@code parent.closed} receives. */
    void close(String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        closed = true;
        selector.wakeup();
        Thread t = receiver;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(CLOSE_JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("UDP {}: receive thread still busy in the listener after {} ms; closing the socket under it",
                        name, CLOSE_JOIN_MILLIS);
            }
        }
        closeQuietly(selector);
        closeQuietly(channel);
        if (t == null) {
            onClosed.run(); // never started: no receive thread to report
        }
        LOG.info("UDP {}: closed{}; in {} packets / {} bytes, out {} packets / {} bytes", name,
                "closed".equals(reason) ? "" : " (" + reason + ")",
                counters.packetsIn(), counters.bytesIn(), counters.packetsOut(), counters.bytesOut());
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("close: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "UdpTransport[" + name + (closed ? ", closed" : "") + "]";
    }
}
