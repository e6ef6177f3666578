package org.tunnelbus.api.packet;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.session.Session;

/**
 * One packet in flight: a region {@code [offset, offset + length)} of a pooled direct buffer, with
 * headroom in front so that framing is prepended in place and tailroom behind for tags.
 *
 * <p><b>Who makes it:</b> only a {@link PacketAllocator} (the core's pool) creates packets. Devices and
 * transports take them from the allocator their parent callback offers; stages never allocate.
 *
 * <p><b>Ownership:</b> exactly one party owns a packet at a time. Passing a packet to the bus, a sink,
 * a device or a transport passes ownership; the owner at the end calls {@link #release()} exactly once.
 * A packet is not thread-safe: its owner is the only thread touching it.
 *
 * <p><b>Metadata</b> travels with the packet through the chain so stages need no lookups:
 * {@link #session()} (set by decapsulation or routing), {@link #sink()} (where the chain delivers it),
 * {@link #address()} (the remote address it came from or goes to), a {@link #flow()} hash and a free
 * {@link #mark()} for stage-to-stage annotations (like {@code skb->mark}).
 */
public final class Packet {
    private final ByteBuffer buffer;
    private final int headroom;
    private final Recycler recycler;

    private int offset;
    private int length;
    private Session session;
    private PacketSink sink;
    private InetSocketAddress address;
    private int flow;
    private int mark;
    private boolean free;

    /**
     * Called by allocators only.
     *
     * @param buffer   direct buffer whose whole capacity belongs to this packet
     * @param headroom bytes kept free in front of the data after {@link #reset()}
     * @param recycler takes the packet back on {@link #release()}
     */
    public Packet(ByteBuffer buffer, int headroom, Recycler recycler) {
        if (headroom < 0 || headroom > buffer.capacity()) {
            throw new IllegalArgumentException("headroom " + headroom + " outside buffer of " + buffer.capacity());
        }
        this.buffer = buffer;
        this.headroom = headroom;
        this.recycler = recycler;
        reset();
    }

    /**
     * The whole backing buffer, with position 0 and limit at its capacity, for absolute access by offset
     * (stages read and write headers in front of the data and tags behind it). {@link #data()} narrows the
     * limit to the data region, and a transport or device may leave any position and limit behind; this
     * widens them again, so absolute gets and puts in {@code [0, capacity)} never fail on a stale limit.
     */
    public ByteBuffer buffer() {
        return buffer.clear();
    }

    /**
     * The backing buffer with position and limit set to the data region. No copy, no allocation: the
     * same buffer object is returned every time.
     */
    public ByteBuffer data() {
        buffer.limit(offset + length).position(offset);
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** Bytes free in front of the data. */
    public int headroom() {
        return offset;
    }

    /** Bytes free behind the data. */
    public int tailroom() {
        return buffer.capacity() - offset - length;
    }

    /** Sets the data region directly, e.g. after a read into {@link #buffer()}. */
    public void setRegion(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buffer.capacity()) {
            throw new IndexOutOfBoundsException("region " + offset + "+" + length + " outside " + buffer.capacity());
        }
        this.offset = offset;
        this.length = length;
    }

    /** Sets the data length, keeping the offset. */
    public void setLength(int length) {
        setRegion(offset, length);
    }

    /**
     * Grows the data region forward by {@code n} bytes of headroom and returns the new offset, where
     * the caller writes its header.
     */
    public int prepend(int n) {
        if (n > offset) {
            throw new IndexOutOfBoundsException("prepend " + n + " with only " + offset + " bytes of headroom");
        }
        offset -= n;
        length += n;
        return offset;
    }

    /** Grows the data region by {@code n} bytes of tailroom and returns the offset of the new bytes. */
    public int append(int n) {
        if (n > tailroom()) {
            throw new IndexOutOfBoundsException("append " + n + " with only " + tailroom() + " bytes of tailroom");
        }
        int at = offset + length;
        length += n;
        return at;
    }

    /** Drops {@code n} bytes from the front of the data (a header that has been parsed). */
    public void trimFront(int n) {
        if (n > length) {
            throw new IndexOutOfBoundsException("trim " + n + " of " + length);
        }
        offset += n;
        length -= n;
    }

    /** Drops {@code n} bytes from the end of the data. */
    public void trimBack(int n) {
        if (n > length) {
            throw new IndexOutOfBoundsException("trim " + n + " of " + length);
        }
        length -= n;
    }

    /** The byte at {@code index} relative to the data offset. */
    public byte get(int index) {
        return buffer.get(offset + index);
    }

    public Session session() {
        return session;
    }

    public void session(Session session) {
        this.session = session;
    }

    /** Where the chain delivers this packet when it passes the last stage; null means the direction's default. */
    public PacketSink sink() {
        return sink;
    }

    public void sink(PacketSink sink) {
        this.sink = sink;
    }

    /** Remote address: the source of an incoming datagram, the destination of an outgoing one. */
    public InetSocketAddress address() {
        return address;
    }

    public void address(InetSocketAddress address) {
        this.address = address;
    }

    /** Flow hash: packets with equal flow must keep their order. */
    public int flow() {
        return flow;
    }

    public void flow(int flow) {
        this.flow = flow;
    }

    /** Free annotation for stages (like the kernel's {@code skb->mark}); 0 after {@link #reset()}. */
    public int mark() {
        return mark;
    }

    public void mark(int mark) {
        this.mark = mark;
    }

    /** Clears data and metadata; the data region becomes empty at the allocator's headroom. */
    public void reset() {
        offset = headroom;
        length = 0;
        session = null;
        sink = null;
        address = null;
        flow = 0;
        mark = 0;
    }

    /**
     * Gives the packet back to its pool. Must be called exactly once by the final owner; the packet
     * must not be touched afterwards.
     *
     * @throws IllegalStateException on a second release (a bug in the caller)
     */
    public void release() {
        if (free) {
            throw new IllegalStateException("packet released twice");
        }
        free = true;
        recycler.recycle(this);
    }

    /** For allocators: marks a packet taken from the pool as owned again. */
    public void claim() {
        free = false;
        reset();
    }

    /** True between {@link #release()} and the next {@link #claim()}. */
    public boolean isFree() {
        return free;
    }

    /** Copies {@code src} into the data region at the current offset, replacing the data. */
    public void put(byte[] src, int srcOffset, int len) {
        if (len > buffer.capacity() - offset) {
            throw new IndexOutOfBoundsException("put " + len + " with room for " + (buffer.capacity() - offset));
        }
        // absolute bulk puts check against the limit, which data() of an earlier use may have left short
        buffer.limit(buffer.capacity());
        buffer.put(offset, src, srcOffset, len);
        length = len;
    }

    @Override
    public String toString() {
        return "Packet[" + offset + "+" + length + " of " + buffer.capacity() + (session == null ? "" : ", " + session) + "]";
    }
}
