package org.tunnelbus.testsupport;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.tunnelbus.api.device.DeviceInfo;
import org.tunnelbus.api.device.DeviceListener;
import org.tunnelbus.api.device.DeviceMode;
import org.tunnelbus.api.device.DeviceState;
import org.tunnelbus.api.device.PacketDevice;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketBatch;

/**
 * An in-memory TUN/TAP twin (after wireguard-go's {@code tun/tuntest}). {@link #inject} plays the kernel
 * routing a packet into the interface: a reader thread turns injected packets into pooled packets and
 * hands them to the parent in batches, as a real device's reader does. {@link #write} plays the kernel
 * receiving: the data is copied into {@link #written()} and the packets released.
 *
 * <p>Never a stand-in for the real device in an acceptance test.
 */
public final class MemoryDevice implements PacketDevice {
    private final DeviceInfo info;
    private final int batchSize;
    private final BlockingQueue<byte[]> fromKernel = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> toKernel = new LinkedBlockingQueue<>();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong readPackets = new AtomicLong();
    private final AtomicLong writePackets = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private Thread reader;
    private volatile DeviceListener parent;
    private volatile boolean running;

    public MemoryDevice(String name) {
        this(name, 1500, 32);
    }

    public MemoryDevice(String name, int mtu, int batchSize) {
        this.info = new DeviceInfo(name, DeviceMode.TUN, mtu, 1, false);
        this.batchSize = batchSize;
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    /** Idempotent: a second start while running changes nothing. */
    @Override
    public synchronized void start(DeviceListener parent) {
        if (running) {
            return;
        }
        this.parent = parent;
        running = true;
        reader = new Thread(this::readLoop, "memory-device-" + info.name());
        reader.setDaemon(true);
        reader.start();
        parent.stateChanged(DeviceState.UP, "in-memory device " + info.name() + " started");
    }

    /** As if the kernel routed these packets into the interface. */
    public void inject(byte[]... packets) {
        for (byte[] p : packets) {
            fromKernel.add(p);
        }
    }

    /** Packets injected and not yet read by the reader thread. */
    public int pendingInjected() {
        return fromKernel.size();
    }

    /** What the bus wrote to the "kernel", in order. */
    public BlockingQueue<byte[]> written() {
        return toKernel;
    }

    /** The next written packet, waiting up to {@code timeoutMs}, or null. */
    public byte[] awaitWritten(long timeoutMs) throws InterruptedException {
        return toKernel.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Number of {@link #write} calls (batches). */
    public long writeCalls() {
        return writes.get();
    }

    /** Packets given to {@link #write} after {@link #stop()} (released, not written). */
    public long dropped() {
        return dropped.get();
    }

    private void readLoop() {
        PacketBatch batch = new PacketBatch(batchSize);
        byte[] carry = null; // read from the "kernel" but not yet in a packet (pool was empty)
        while (running) {
            try {
                byte[] next = carry != null ? carry : fromKernel.poll(20, TimeUnit.MILLISECONDS);
                carry = null;
                while (next != null) {
                    Packet p = parent.allocator().allocate();
                    if (p == null) {
                        carry = next; // back-pressure: read it again later
                        break;
                    }
                    if (next.length > p.tailroom()) {
                        p.release();
                        dropped.incrementAndGet();
                    } else {
                        p.put(next, 0, next.length);
                        batch.add(p);
                    }
                    next = batch.isFull() ? null : fromKernel.poll();
                }
                if (!batch.isEmpty()) {
                    readPackets.addAndGet(batch.size());
                    parent.read(batch);
                    batch.releaseAll(); // a parent that broke the contract must not make us leak
                } else if (carry != null) {
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                break;
            }
        }
        batch.releaseAll();
    }

    @Override
    public void write(PacketBatch batch) {
        writes.incrementAndGet();
        for (int i = 0; i < batch.size(); i++) {
            Packet p = batch.get(i);
            if (p == null) {
                continue;
            }
            if (running) {
                toKernel.add(Packets.bytes(p));
                writePackets.incrementAndGet();
            } else {
                dropped.incrementAndGet();
            }
            p.release();
        }
        batch.clear();
    }

    /** {@code read.packets}, {@code write.packets}, {@code write.calls}, {@code drop.stopped}. */
    @Override
    public java.util.Map<String, Long> counters() {
        return java.util.Map.of("read.packets", readPackets.get(), "write.packets", writePackets.get(),
                "write.calls", writes.get(), "drop.stopped", dropped.get());
    }

    /** Idempotent; returns within a second. */
    @Override
    public void stop() {
        Thread r;
        DeviceListener l;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            r = reader;
            l = parent;
        }
        r.interrupt();
        try {
            r.join(900);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        l.stateChanged(DeviceState.CLOSED, "in-memory device " + info.name() + " stopped");
    }

    @Override
    public String toString() {
        return "MemoryDevice[" + info.name() + "]";
    }
}
