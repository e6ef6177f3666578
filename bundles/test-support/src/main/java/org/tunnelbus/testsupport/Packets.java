package org.tunnelbus.testsupport;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;

/** Small conversions between byte arrays and pooled packets, for tests. */
public final class Packets {
    private Packets() {
    }

    /**
     * A packet from {@code allocator} holding {@code data} at the allocator's headroom.
     *
     * @throws IllegalStateException when the pool is empty (a test that leaks, or back-pressure)
     */
    public static Packet of(PacketAllocator allocator, byte[] data) {
        Packet p = allocator.allocate();
        if (p == null) {
            throw new IllegalStateException("packet pool exhausted (" + allocator.outstanding() + " outstanding)");
        }
        p.put(data, 0, data.length);
        return p;
    }

    /** A copy of the packet's data. */
    public static byte[] bytes(Packet p) {
        byte[] b = new byte[p.length()];
        p.buffer().get(p.offset(), b, 0, b.length);
        return b;
    }

    /** A copy of the packet's data; the packet is released. */
    public static byte[] bytesAndRelease(Packet p) {
        byte[] b = bytes(p);
        p.release();
        return b;
    }
}
