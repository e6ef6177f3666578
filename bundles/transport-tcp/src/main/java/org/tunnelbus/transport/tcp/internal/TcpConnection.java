package org.tunnelbus.transport.tcp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.transport.tcp.internal.TcpCounters.Close;
import org.tunnelbus.transport.tcp.internal.TcpCounters.Drop;

/**
 * One TCP connection (one peer): frames what it writes with the 2-byte length, decodes what it reads.
 *
 * <p>Reads and {@link #close} run on the transport's I/O thread only. {@link #send} runs on any thread: a
 * per-connection lock keeps the frames of concurrent senders whole (two half-interleaved frames would break
 * the stream for good). The socket is non-blocking, so a peer that stops reading cannot block a sender for
 * long: a packet that cannot start within {@value #SEND_START_NANOS} ns is dropped, one that is half written
 * and cannot finish within {@value #SEND_STALL_NANOS} ns ends the connection.
 */
final class TcpConnection implements FrameDecoder.Output {
    static final long SEND_START_NANOS = 2_000_000L;
    static final long SEND_STALL_NANOS = 2_000_000_000L;
    private static final long PARK_MIN_NANOS = 20_000L;
    private static final long PARK_MAX_NANOS = 1_000_000L;
    private static final int MAX_LENGTH = 0xFFFF;

    private final SocketChannel channel;
    private final InetSocketAddress remote;
    private final FrameDecoder decoder;
    private final Inbound inbound;
    private final TcpCounters counters;
    private final CloseRequests closer;
    private final Object writeLock = new Object();
    private final ByteBuffer header = ByteBuffer.allocateDirect(FrameDecoder.HEADER); // under writeLock
    private final ByteBuffer[] gather = new ByteBuffer[2]; // under writeLock
    private volatile boolean closing;

    /** Where a connection asks its I/O thread to close it (it may be on a sending thread). */
    interface CloseRequests {
        void request(TcpConnection connection, Close reason, String detail);
    }

    TcpConnection(SocketChannel channel, InetSocketAddress remote, Inbound inbound, TcpCounters counters,
            CloseRequests closer) {
        this.channel = channel;
        this.remote = remote;
        this.inbound = inbound;
        this.counters = counters;
        this.closer = closer;
        this.decoder = new FrameDecoder(inbound.maxLength());
    }

    InetSocketAddress remote() {
        return remote;
    }

    SocketChannel channel() {
        return channel;
    }

    boolean isClosing() {
        return closing;
    }

    // ------------------------------------------------------------------------------------ receive (I/O thread)

    /**
     * Decodes what one read brought.
     *
     * @return null, or why the stream is broken
     */
    String decode(ByteBuffer in) {
        return decoder.decode(in, this);
    }

    @Override
    public Packet allocate() {
        return inbound.allocate();
    }

    @Override
    public void frame(Packet packet) {
        inbound.add(packet, remote);
    }

    @Override
    public void discarded() {
        inbound.discarded();
    }

    // ------------------------------------------------------------------------------------ send (any thread)

    /** Writes one packet as a frame; the caller releases it. Counts failures, never throws. */
    void send(Packet p) {
        int length = p.length();
        if (length > MAX_LENGTH) {
            counters.drop(Drop.TOO_BIG);
            return;
        }
        if (closing) {
            counters.drop(Drop.SEND_ERROR);
            return;
        }
        synchronized (writeLock) {
            try {
                if (write(frame(p, length), FrameDecoder.HEADER + length)) {
                    counters.sent(length);
                }
            } catch (IOException e) {
                counters.drop(Drop.SEND_ERROR);
                closer.request(this, Close.ERROR, "send failed: " + e.getMessage());
            }
        }
    }

    /** The frame's buffers: the length goes into the packet's headroom when there is room (no copy). */
    private ByteBuffer[] frame(Packet p, int length) {
        if (p.headroom() >= FrameDecoder.HEADER) {
            int at = p.prepend(FrameDecoder.HEADER);
            p.buffer().putShort(at, (short) length);
            gather[0] = p.data();
            gather[1] = null;
            return gather;
        }
        header.clear();
        header.putShort((short) length).flip();
        gather[0] = header;
        gather[1] = p.data();
        return gather;
    }

    /** @return whether the whole frame went out (false: dropped before its first byte, counted) */
    private boolean write(ByteBuffer[] bufs, int total) throws IOException {
        int n = bufs[1] == null ? 1 : 2;
        long written = 0;
        long start = System.nanoTime();
        long park = PARK_MIN_NANOS;
        while (written < total) {
            long w = channel.write(bufs, 0, n);
            if (w > 0) {
                written += w;
                park = PARK_MIN_NANOS;
                continue;
            }
            long waited = System.nanoTime() - start;
            if (written == 0 && waited > SEND_START_NANOS) {
                counters.drop(Drop.SEND_BUFFER_FULL); // nothing written: the stream is still whole
                return false;
            }
            if (waited > SEND_STALL_NANOS || closing) {
                counters.drop(Drop.SEND_ERROR); // half a frame is out: the stream cannot go on
                closer.request(this, Close.SEND_STALLED, "the peer did not read for " + waited / 1_000_000 + " ms");
                return false;
            }
            LockSupport.parkNanos(park);
            park = Math.min(park * 2, PARK_MAX_NANOS);
        }
        return true;
    }

    // ------------------------------------------------------------------------------------ close (I/O thread)

    /** Marks the connection as ending so senders stop at once; the I/O thread closes it. */
    void markClosing() {
        closing = true;
    }

    /** Closes the socket and releases a half-read packet (I/O thread). */
    void close() {
        closing = true;
        decoder.release();
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway; nothing to tell
        }
    }
}
