package org.tunnelbus.device.tun.internal;

import org.tunnelbus.api.device.DeviceListener;
import org.tunnelbus.api.device.DeviceState;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.device.PacketDevice;

/**
 * Parent of an offload device that forwards what it reads to another device the way a tunnel would: GSO
 * super-packets are cut into MTU-sized packets with complete checksums ({@link SoftwareGso}), then written to
 * the target in batches of up to 64, where the target may coalesce them again.
 */
final class SegmentingBridge implements DeviceListener {
    private final PacketAllocator allocator;
    private final ThreadLocal<PacketBatch> out = ThreadLocal.withInitial(() -> new PacketBatch(128));
    volatile PacketDevice target;
    /** Nanoseconds spent inside {@code target.write}: the cost of the writing device alone. */
    final java.util.concurrent.atomic.LongAdder writeNanos = new java.util.concurrent.atomic.LongAdder();

    SegmentingBridge(PacketAllocator allocator) {
        this.allocator = allocator;
    }

    @Override
    public PacketAllocator allocator() {
        return allocator;
    }

    @Override
    public void read(PacketBatch batch) {
        PacketBatch o = out.get();
        for (int i = 0; i < batch.size(); i++) {
            Packet p = batch.get(i);
            SoftwareGso.segment(p, allocator, o);
            if (o.size() >= 64) {
                write(o);
            }
        }
        batch.clear();
        if (!o.isEmpty()) {
            write(o);
        }
    }

    private void write(PacketBatch o) {
        long t0 = System.nanoTime();
        target.write(o);
        writeNanos.add(System.nanoTime() - t0);
    }

    @Override
    public void stateChanged(DeviceState state, String reason) {
    }
}
