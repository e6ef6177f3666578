package org.tunnelbus.core.internal.device;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.device.DeviceListener;
import org.tunnelbus.api.device.DeviceState;
import org.tunnelbus.api.device.PacketDevice;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.pipeline.PacketSink;

/**
 * Connects one {@link PacketDevice} to the bus, both ways:
 * <pre>
 *   device reader threads ── read(batch) ──▶ bus.submit(OUTGOING, batch)
 *   INCOMING chain ── accept(packet) ──▶ per-thread batch ── flush() ──▶ device.write(batch)
 * </pre>
 * As the device's {@link DeviceListener} it submits read batches into the OUTGOING chain on the reader's
 * own thread. As a {@link PacketSink} (registered by {@link DeviceManager} with direction incoming) it
 * gathers the packets each I/O thread delivers and writes them in one call when the bus flushes the
 * batch. Each thread gathers into its own batch, so no lock is taken; {@link PacketDevice#write} is
 * thread-safe by contract.
 */
public final class DeviceAttachment implements DeviceListener, PacketSink {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceAttachment.class);
    private static final int BATCH = 64;
    private static final long LOG_INTERVAL = TimeUnit.SECONDS.toNanos(10);

    private final PacketDevice device;
    private final String name;
    private final PacketBus bus;
    private final ThreadLocal<PacketBatch> gather = ThreadLocal.withInitial(() -> new PacketBatch(BATCH));
    private final LongAdder writeErrors = new LongAdder();
    private final LongAdder detachedDrops = new LongAdder();
    private final AtomicLong nextLog = new AtomicLong(System.nanoTime());
    private volatile DeviceState state;
    private volatile boolean attached = true;

    public DeviceAttachment(PacketDevice device, String name, PacketBus bus) {
        this.device = device;
        this.name = name;
        this.bus = bus;
    }

    public String name() {
        return name;
    }

    public PacketDevice device() {
        return device;
    }

    /** Last state the device reported, or null before its first report. */
    public DeviceState state() {
        return state;
    }

    /** Packets that could not be written (device threw) or arrived after detach. */
    public long dropped() {
        return writeErrors.sum() + detachedDrops.sum();
    }

    /**
     * The device's own counters ({@link PacketDevice#counters()}) and the attachment's drops
     * ({@code drop.write-error}, {@code drop.detached}), for the bus's counter view.
     */
    public java.util.Map<String, Long> counters() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>(device.counters());
        long we = writeErrors.sum();
        long dd = detachedDrops.sum();
        if (we > 0) {
            m.merge("drop.write-error", we, Long::sum);
        }
        if (dd > 0) {
            m.merge("drop.detached", dd, Long::sum);
        }
        return m;
    }

    // ---- DeviceListener ----

    @Override
    public PacketAllocator allocator() {
        return bus.allocator();
    }

    @Override
    public void read(PacketBatch batch) {
        if (!attached) {
            detachedDrops.add(batch.size());
            batch.releaseAll();
            return;
        }
        bus.submit(Direction.OUTGOING, batch);
    }

    @Override
    public void stateChanged(DeviceState newState, String reason) {
        DeviceState old = state;
        state = newState;
        if (newState == DeviceState.LOST) {
            LOG.warn("Device {} is LOST (was {}): {}; packets for it are dropped until it is back", name, old, reason);
        } else {
            LOG.info("Device {} is {} (was {}): {}", name, newState, old, reason);
        }
    }

    // ---- PacketSink (INCOMING) ----

    @Override
    public void accept(Packet packet) {
        if (!attached) {
            detachedDrops.increment();
            packet.release();
            return;
        }
        PacketBatch b = gather.get();
        b.add(packet);
        if (b.isFull()) {
            write(b);
        }
    }

    @Override
    public void flush() {
        PacketBatch b = gather.get();
        if (!b.isEmpty()) {
            write(b);
        }
    }

    private void write(PacketBatch b) {
        try {
            device.write(b);
        } catch (RuntimeException e) {
            writeErrors.add(b.size());
            long now = System.nanoTime();
            long next = nextLog.get();
            if (now - next >= 0 && nextLog.compareAndSet(next, now + LOG_INTERVAL)) {
                LOG.warn("Device {} threw on write; {} packets dropped ({} so far)", name, b.size(), writeErrors.sum(), e);
            }
        } finally {
            if (!b.isEmpty()) {
                // The device broke its contract (the batch should be empty on return): do not leak.
                for (int i = 0; i < b.size(); i++) {
                    Packet p = b.get(i);
                    if (p != null && !p.isFree()) {
                        p.release();
                    }
                }
                b.clear();
            }
        }
    }

    /** Stops delivery to the device (late packets are released) and stops the device. */
    void detach() {
        attached = false;
        try {
            device.stop();
        } catch (RuntimeException e) {
            LOG.warn("Device {} failed to stop cleanly", name, e);
        }
    }

    @Override
    public String toString() {
        return "DeviceSink[" + name + "]";
    }
}
