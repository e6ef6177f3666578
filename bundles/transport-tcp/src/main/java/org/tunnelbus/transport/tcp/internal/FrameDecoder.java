package org.tunnelbus.transport.tcp.internal;

import java.nio.ByteBuffer;

import org.tunnelbus.api.packet.Packet;

/**
 * Cuts one TCP byte stream into OpenVPN packets: a 2-byte big-endian length, then that many bytes (wire
 * reference §1.1, {@code socket.c stream_buf_added()}). Reads may split a packet anywhere, even inside the
 * length, or carry several packets: the decoder keeps the partial packet across calls and copies each byte
 * once, straight into a pooled packet.
 *
 * <p>A length of 0, or above what a packet buffer holds, is fatal for the stream, as it is for stock (which
 * logs "Bad encapsulated packet length" and restarts): after it nothing can be re-synchronised.
 *
 * <p>One per connection, used by the I/O thread only: not thread-safe.
 */
final class FrameDecoder {
    /** Where complete packets go and where their buffers come from. */
    interface Output {
        /** A fresh packet, or null if the pool stayed empty (the packet is then read and discarded). */
        Packet allocate();

        /** A complete packet; ownership passes. */
        void frame(Packet packet);

        /** A packet was read and discarded because {@link #allocate} had none. */
        void discarded();
    }

    static final int HEADER = 2;

    private final int maxLength;
    /** The first byte of a length that arrived alone, or -1. */
    private int lengthHigh = -1;
    /** Bytes of the current packet still to come; 0 between packets. */
    private int remaining;
    /** The packet being filled, or null between packets and while discarding one. */
    private Packet current;
    private int filled;

    /** @param maxLength the largest packet accepted (the allocator's capacity, at most 65535) */
    FrameDecoder(int maxLength) {
        this.maxLength = Math.min(maxLength, 0xFFFF);
    }

    /**
     * Consumes every byte of {@code in}.
     *
     * @return null, or why the stream is broken (the caller closes the connection)
     */
    String decode(ByteBuffer in, Output out) {
        while (in.hasRemaining()) {
            if (remaining > 0) {
                body(in, out);
                continue;
            }
            int length = length(in);
            if (length < 0) {
                return null; // half a length: the rest comes with the next read
            }
            if (length == 0 || length > maxLength) {
                return "bad packet length " + length + " (accepted: 1.." + maxLength + ")";
            }
            remaining = length;
            filled = 0;
            current = out.allocate();
        }
        return null;
    }

    /** The next length field, or -1 if only its first byte is there (kept for the next call). */
    private int length(ByteBuffer in) {
        if (lengthHigh >= 0) {
            int length = lengthHigh << 8 | in.get() & 0xFF;
            lengthHigh = -1;
            return length;
        }
        if (in.remaining() >= HEADER) {
            return in.getShort() & 0xFFFF;
        }
        lengthHigh = in.get() & 0xFF;
        return -1;
    }

    private void body(ByteBuffer in, Output out) {
        int n = Math.min(remaining, in.remaining());
        Packet p = current;
        if (p != null) {
            p.buffer().put(p.offset() + filled, in, in.position(), n);
            filled += n;
        }
        in.position(in.position() + n);
        remaining -= n;
        if (remaining > 0) {
            return;
        }
        current = null;
        if (p == null) {
            out.discarded();
            return;
        }
        p.setLength(filled);
        out.frame(p);
    }

    /** Releases a partly filled packet (the connection closes). */
    void release() {
        if (current != null) {
            current.release();
            current = null;
        }
        remaining = 0;
        lengthHigh = -1;
    }
}
