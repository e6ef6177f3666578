package org.tunnelbus.device.tun.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.tunnelbus.api.device.DeviceListener;
import org.tunnelbus.api.device.DeviceState;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.device.PacketDevice;

/**
 * A parent for a device in tests: it runs a test stage on every packet read (on the reader's thread, as
 * the core does) and writes what the stage answered back into {@code target}; it records states, reads per
 * queue and anything a test wants to see.
 */
final class Harness implements DeviceListener {
    final PacketAllocator allocator;
    final LinkedBlockingQueue<String> states = new LinkedBlockingQueue<>();
    final Map<String, AtomicLong> readsByThread = new ConcurrentHashMap<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final AtomicLong reads = new AtomicLong();
    private final Predicate<Packet> stage;
    private final Consumer<Packet> observer;
    volatile PacketDevice target;
    private final ThreadLocal<PacketBatch> out = ThreadLocal.withInitial(() -> new PacketBatch(1024));

    /**
     * @param stage    answers a packet in place (true: write it to {@code target}), or false to drop it
     * @param observer sees every packet before the stage (may be null)
     */
    Harness(PacketAllocator allocator, Predicate<Packet> stage, Consumer<Packet> observer) {
        this.allocator = allocator;
        this.stage = stage;
        this.observer = observer;
    }

    @Override
    public PacketAllocator allocator() {
        return allocator;
    }

    @Override
    public void read(PacketBatch batch) {
        PacketBatch o = out.get();
        try {
            readsByThread.computeIfAbsent(Thread.currentThread().getName(), k -> new AtomicLong()).addAndGet(batch.size());
            reads.addAndGet(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Packet p = batch.get(i);
                if (observer != null) {
                    observer.accept(p);
                }
                if (stage.test(p) && target != null) {
                    o.add(p);
                } else {
                    p.release();
                }
            }
            batch.clear();
            if (!o.isEmpty()) {
                target.write(o);
            }
        } catch (Throwable t) {
            errors.add(t);
            throw t;
        }
    }

    @Override
    public void stateChanged(DeviceState state, String reason) {
        states.add(state + ": " + reason);
    }

    /** Waits (bounded) for a state report starting with {@code state}; returns it or null. */
    String awaitState(DeviceState state, long millis) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < until) {
            String s = states.poll(50, TimeUnit.MILLISECONDS);
            if (s != null && s.startsWith(state.name())) {
                return s;
            }
        }
        return null;
    }

    /** Number of distinct reader threads (queues) that read at least {@code min} packets. */
    long queuesWithReads(long min) {
        return readsByThread.values().stream().filter(a -> a.get() >= min).count();
    }
}
