package org.tunnelbus.transport.tcp.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.api.transport.TransportListener;
import org.tunnelbus.api.transport.TransportSpec;
import org.tunnelbus.transport.tcp.internal.TcpCounters.Close;
import org.tunnelbus.transport.tcp.internal.TcpCounters.Drop;

/**
 * A TCP server socket with its accepted connections, or one client connection: NIO channels served by one
 * I/O thread, written by any thread.
 *
 * <pre>
 *  I/O thread:  select ──► accept: new TcpConnection, parent.connected(remote)
 *                      └─► readable: read into a 64 KiB scratch buffer ──► FrameDecoder ──► pooled packets,
 *                          address = the connection's remote ──► one batch for all connections ──► parent.received
 *               close requests (bad length, EOF, disconnect(), stalled send) ──► parent.closed(remote, reason)
 *  any thread:  send(batch) ──► connection by packet address ──► 2-byte length + packet, under its write lock
 * </pre>
 *
 * <p>Every connection is closed on the I/O thread, so {@code parent.closed(remote, ..)} comes from it, once per
 * connection, and {@code parent.closed(null, ..)} once when the transport ends (after its connections). In
 * client mode the transport ends with its connection. {@link #close} may be called from any thread, also from
 * inside a callback; it never interrupts the I/O thread and returns within a second.
 */
final class TcpTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);
    static final long SELECT_TIMEOUT_MILLIS = 500;
    static final long CLOSE_JOIN_MILLIS = 800;
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int BACKLOG = 128;
    private static final int READS_PER_WAKEUP = 16;
    private static final int SCRATCH = 64 * 1024;
    private static final long LOG_INTERVAL_MILLIS = 1_000;

    private record CloseRequest(TcpConnection connection, Close reason, String detail) {
    }

    private final Selector selector;
    private final ServerSocketChannel server; // null in client mode
    private final InetSocketAddress local;
    private final String name;
    private final TransportListener parent;
    private final TcpCounters counters = new TcpCounters();
    private final Inbound inbound;
    private final Map<InetSocketAddress, TcpConnection> connections = new ConcurrentHashMap<>();
    private final Queue<CloseRequest> closeRequests = new ConcurrentLinkedQueue<>();
    private final Runnable onClosed;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicLong nextLog = new AtomicLong();
    private volatile boolean closed;
    private volatile String closeReason = "closed";
    private volatile TcpConnection client; // client mode: the one connection
    private Thread io;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(SCRATCH); // I/O thread only

    private TcpTransport(Selector selector, ServerSocketChannel server, InetSocketAddress local, TransportSpec spec,
            TransportListener parent, Runnable onClosed) {
        this.selector = selector;
        this.server = server;
        this.local = local;
        this.name = Addresses.format(local) + (spec.remote() == null ? "" : " -> " + Addresses.format(spec.remote()));
        this.parent = parent;
        this.onClosed = onClosed;
        this.inbound = new Inbound(parent, spec.batch(), counters, name);
    }

    // ---------------------------------------------------------------------------------------------- open

    /** Binds a listening socket (spec without remote) or connects to {@code spec.remote()}. */
    static TcpTransport open(TransportSpec spec, TransportListener parent, Runnable onClosed) throws IOException {
        return spec.remote() == null ? listen(spec, parent, onClosed) : connect(spec, parent, onClosed);
    }

    private static TcpTransport listen(TransportSpec spec, TransportListener parent, Runnable onClosed)
            throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        Selector sel = null;
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true); // rebind at once after a restart (TIME_WAIT)
            if (spec.rcvbuf() > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, spec.rcvbuf()); // inherited by accepted sockets
            }
            try {
                ch.bind(spec.local(), BACKLOG);
            } catch (IOException | RuntimeException e) {
                BindException b = new BindException("cannot bind TCP " + Addresses.format(spec.local()) + ": "
                        + Addresses.reason(e));
                b.initCause(e);
                throw b;
            }
            ch.configureBlocking(false);
            sel = Selector.open();
            ch.register(sel, SelectionKey.OP_ACCEPT);
            return new TcpTransport(sel, ch, (InetSocketAddress) ch.getLocalAddress(), spec, parent, onClosed);
        } catch (IOException | RuntimeException e) {
            closeQuietly(sel);
            closeQuietly(ch);
            throw e;
        }
    }

    private static TcpTransport connect(TransportSpec spec, TransportListener parent, Runnable onClosed)
            throws IOException {
        SocketChannel ch = SocketChannel.open();
        Selector sel = null;
        try {
            ch.bind(spec.local());
            try {
                ch.socket().connect(spec.remote(),
                        spec.connectTimeoutMillis() > 0 ? spec.connectTimeoutMillis() : CONNECT_TIMEOUT_MILLIS);
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot connect TCP " + Addresses.format(spec.local()) + " to "
                        + Addresses.format(spec.remote()) + ": " + Addresses.reason(e), e);
            }
            sel = Selector.open();
            TcpTransport t = new TcpTransport(sel, null, (InetSocketAddress) ch.getLocalAddress(), spec, parent, onClosed);
            t.client = t.adopt(ch, spec);
            return t;
        } catch (IOException | RuntimeException e) {
            closeQuietly(sel);
            closeQuietly(ch);
            throw e;
        }
    }

    /** Makes a connected socket one of ours: non-blocking, registered, in the map. */
    private TcpConnection adopt(SocketChannel ch, TransportSpec spec) throws IOException {
        ch.configureBlocking(false);
        // OpenVPN packets are whole messages: Nagle would only delay control packets and tunnelled ACKs
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (spec != null && spec.sndbuf() > 0) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, spec.sndbuf());
        }
        InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
        TcpConnection c = new TcpConnection(ch, remote, inbound, counters, this::requestClose);
        ch.register(selector, SelectionKey.OP_READ, c);
        connections.put(remote, c);
        counters.connected();
        return c;
    }

    /** Starts the I/O thread. */
    void start() {
        Thread t = new Thread(this::run, "tunnelbus-tcp-io " + name);
        t.setDaemon(true);
        io = t;
        t.start();
        LOG.info("TCP {}: {}", name, server != null ? "listening" : "connected");
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public Map<String, Long> counters() {
        return counters.snapshot(connections.size());
    }

    TcpCounters counterValues() {
        return counters;
    }

    int openConnections() {
        return connections.size();
    }

    // ------------------------------------------------------------------------------------------ I/O thread

    private void run() {
        if (client != null) {
            notifyConnected(client.remote());
        }
        try {
            while (!closed) {
                selector.select(this::ready, SELECT_TIMEOUT_MILLIS);
                inbound.deliver();
                processCloseRequests();
            }
        } catch (IOException | RuntimeException | Error e) {
            if (!closed) {
                closeReason = "I/O failed: " + Addresses.reason(e);
                LOG.error("TCP {}: I/O failed, the transport stops: {}", name, Addresses.reason(e), e);
            }
        } finally {
            shutdown();
        }
    }

    private void ready(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            acceptAll();
        } else if (key.isReadable()) {
            read((TcpConnection) key.attachment());
        }
    }

    private void acceptAll() {
        for (int i = 0; i < BACKLOG && !closed; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                rateLimited("TCP {}: accept failed: {}", name, Addresses.reason(e));
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                notifyConnected(adopt(ch, null).remote());
            } catch (IOException | RuntimeException e) {
                closeQuietly(ch);
                rateLimited("TCP {}: could not set up an accepted connection: {}", name, Addresses.reason(e));
            }
        }
    }

    private void notifyConnected(InetSocketAddress remote) {
        LOG.debug("TCP {}: {} connected", name, Addresses.format(remote));
        try {
            parent.connected(remote);
        } catch (RuntimeException e) {
            LOG.warn("TCP {}: the listener failed in connected(): {}", name, e.toString());
        }
    }

    /** Reads what the connection has (bounded, for fairness between connections) and decodes it. */
    private void read(TcpConnection c) {
        for (int i = 0; i < READS_PER_WAKEUP && !c.isClosing(); i++) {
            scratch.clear();
            int n;
            try {
                n = c.channel().read(scratch);
            } catch (IOException e) {
                requestClose(c, Close.ERROR, Addresses.reason(e));
                return;
            }
            if (n < 0) {
                requestClose(c, Close.PEER, "closed by the peer");
                return;
            }
            if (n == 0) {
                return;
            }
            scratch.flip();
            String broken = c.decode(scratch);
            if (broken != null) {
                requestClose(c, Close.BAD_LENGTH, broken);
                return;
            }
        }
    }

    private void requestClose(TcpConnection c, Close reason, String detail) {
        if (c.isClosing()) {
            return;
        }
        c.markClosing();
        closeRequests.add(new CloseRequest(c, reason, detail));
        if (Thread.currentThread() != io) {
            selector.wakeup();
        }
    }

    private void processCloseRequests() {
        CloseRequest r;
        while ((r = closeRequests.poll()) != null) {
            closeConnection(r.connection(), r.reason(), r.detail());
        }
    }

    private void closeConnection(TcpConnection c, Close reason, String detail) {
        if (!connections.remove(c.remote(), c)) {
            return; // already closed
        }
        c.close();
        counters.closed(reason);
        String why = reason == Close.PEER || reason == Close.DISCONNECT || reason == Close.TRANSPORT_CLOSED
                ? detail : reason.key + ": " + detail;
        if (reason == Close.BAD_LENGTH || reason == Close.SEND_STALLED) {
            rateLimited("TCP {}: closed the connection of {}: {}", name, Addresses.format(c.remote()), why);
        } else {
            LOG.debug("TCP {}: connection of {} closed: {}", name, Addresses.format(c.remote()), why);
        }
        try {
            parent.closed(c.remote(), why);
        } catch (RuntimeException e) {
            LOG.warn("TCP {}: the listener failed in closed(): {}", name, e.toString());
        }
        if (c == client && !closed) {
            closeReason = "connection ended (" + why + ")";
            closed = true; // a client transport is its one connection
        }
    }

    /** The I/O thread's last act: every connection closed and reported, then the transport. */
    private void shutdown() {
        closed = true;
        processCloseRequests();
        for (TcpConnection c : new ArrayList<>(connections.values())) {
            closeConnection(c, Close.TRANSPORT_CLOSED, "transport closed");
        }
        inbound.releaseAll();
        closeQuietly(selector);
        closeQuietly(server);
        try {
            parent.closed(null, closeReason);
        } catch (RuntimeException e) {
            LOG.warn("TCP {}: the listener failed in closed(): {}", name, e.toString());
        }
        onClosed.run();
    }

    /** One line per second at most: a peer that keeps sending garbage must not flood the log. */
    private void rateLimited(String format, Object... args) {
        long now = System.currentTimeMillis();
        long next = nextLog.get();
        if (now >= next && nextLog.compareAndSet(next, now + LOG_INTERVAL_MILLIS)) {
            LOG.warn(format, args);
        }
    }

    // ---------------------------------------------------------------------------------------------- send

    /**
     * Sends each packet to the connection of its address (client mode: to the one connection), then
     * releases it. {@code SocketChannel} is interruptible: an interrupted sender would close the connection,
     * so the caller's interrupt status is cleared for the call and restored afterwards.
     */
    @Override
    public void send(PacketBatch batch) {
        boolean interrupted = Thread.interrupted();
        try {
            for (int i = 0; i < batch.size(); i++) {
                Packet p = batch.get(i);
                if (p != null) {
                    sendOne(p);
                    p.release();
                }
            }
        } finally {
            batch.clear();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void sendOne(Packet p) {
        TcpConnection c = client != null ? client : connectionOf(p.address());
        if (c == null) {
            counters.drop(closed ? Drop.SEND_ERROR : Drop.NO_CONNECTION);
            return;
        }
        c.send(p);
    }

    private TcpConnection connectionOf(InetSocketAddress to) {
        return to == null ? null : connections.get(to);
    }

    @Override
    public void disconnect(InetSocketAddress remote, String reason) {
        TcpConnection c = connectionOf(remote);
        if (c != null) {
            requestClose(c, Close.DISCONNECT, reason == null ? "disconnected" : reason);
        }
    }

    // --------------------------------------------------------------------------------------------- close

    @Override
    public void close() {
        close("closed");
    }

    /** Closes with a reason that {@code parent.closed(null, ..)} receives. */
    void close(String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        closed = true;
        Thread t = io;
        if (t == null) {
            shutdown(); // never started
            return;
        }
        selector.wakeup();
        if (t != Thread.currentThread()) {
            join(t);
        }
        LOG.info("TCP {}: closed{}; {}", name, "closed".equals(reason) ? "" : " (" + reason + ")", counters());
    }

    private void join(Thread t) {
        try {
            t.join(CLOSE_JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("TCP {}: I/O thread still busy in the listener after {} ms; closing the sockets under it", name,
                    CLOSE_JOIN_MILLIS);
            connections.values().forEach(c -> closeQuietly(c.channel()));
            closeQuietly(server);
        }
    }

    private static void closeQuietly(Closeable c) {
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
        return "TcpTransport[" + name + (closed ? ", closed" : "") + "]";
    }
}
