package org.tunnelbus.itests.traffic;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;

/**
 * One producer thread: takes packets from the bus's allocator, writes flow id and the flow's next sequence
 * number (round robin over its flows), and submits them in batches to one direction, as a device or transport
 * reader does.
 *
 * <p><b>Back-pressure:</b> when the pool is empty ({@code allocate()} returns null) it submits what it has, or
 * parks 50 µs and tries again; it never skips a sequence number, so a missing number at the sink is a packet the
 * bus lost. <b>Bounds:</b> it stops at {@code maxPackets}, at {@link #stop()}, or at its deadline (then
 * {@link #timedOut()}). An optional rate paces it (packets per second).
 */
public final class Producer implements Runnable {
    private static final int BATCH = 32;

    private final PacketBus bus;
    private final Direction direction;
    private final int[] flows;
    private final long[] next;
    private final long maxPackets;
    private final long ratePerSecond;
    private final long deadlineNanos;
    private final Thread thread;

    private volatile boolean stop;
    private volatile long sent;
    private volatile long emptyPool;
    private volatile boolean timedOut;
    private volatile Throwable failure;

    private Producer(PacketBus bus, Direction direction, int[] flows, long maxPackets, long ratePerSecond,
                     long timeoutMillis, String name) {
        this.bus = bus;
        this.direction = direction;
        this.flows = flows.clone();
        this.next = new long[flows.length];
        this.maxPackets = maxPackets;
        this.ratePerSecond = ratePerSecond;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts a producer thread.
     *
     * @param ratePerSecond 0 for as fast as the bus takes them
     */
    public static Producer start(PacketBus bus, Direction direction, int[] flows, long maxPackets, long ratePerSecond,
                                 long timeoutMillis) {
        Producer p = new Producer(bus, direction, flows, maxPackets, ratePerSecond, timeoutMillis,
                "itest-producer-" + direction.key() + "-" + flows[0]);
        p.thread.start();
        return p;
    }

    @Override
    public void run() {
        try {
            produce();
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void produce() {
        PacketAllocator alloc = bus.allocator();
        PacketBatch batch = new PacketBatch(BATCH);
        long start = System.nanoTime();
        long count = 0;
        int f = 0;
        long empty = 0;
        while (!stop && count < maxPackets) {
            long now = System.nanoTime();
            if (now - deadlineNanos > 0) {
                timedOut = true;
                break;
            }
            if (ratePerSecond > 0) {
                long allowed = (now - start) * ratePerSecond / 1_000_000_000L;
                if (count >= allowed) {
                    if (!batch.isEmpty()) {
                        sent = submit(batch, sent);
                    } else {
                        LockSupport.parkNanos(200_000);
                    }
                    continue;
                }
            }
            Packet p = alloc.allocate();
            if (p == null) {
                empty++;
                if (!batch.isEmpty()) {
                    sent = submit(batch, sent);
                } else {
                    LockSupport.parkNanos(50_000);
                }
                continue;
            }
            fill(p, flows[f], next[f]++);
            count++;
            if (++f == flows.length) {
                f = 0;
            }
            batch.add(p);
            if (batch.isFull()) {
                sent = submit(batch, sent);
                emptyPool = empty;
            }
        }
        if (!batch.isEmpty()) {
            sent = submit(batch, sent);
        }
        emptyPool = empty;
    }

    private long submit(PacketBatch batch, long before) {
        int n = batch.size();
        bus.submit(direction, batch);
        return before + n;
    }

    private static void fill(Packet p, int flow, long seq) {
        p.setLength(Payload.LENGTH);
        ByteBuffer b = p.data();
        int off = p.offset();
        b.putInt(off + Payload.FLOW_AT, flow);
        b.putLong(off + Payload.SEQ_AT, seq);
        b.putInt(off + 12, 0); // stamps and trail length
        b.putLong(off + 16, 0L); // trail
        b.putLong(off + 24, 0L);
        p.flow(flow);
    }

    public void stop() {
        stop = true;
    }

    /** Waits for the thread; false if it did not end within the time. */
    public boolean join(long timeoutMillis) throws InterruptedException {
        thread.join(timeoutMillis);
        return !thread.isAlive();
    }

    public Direction direction() {
        return direction;
    }

    public int[] flows() {
        return flows.clone();
    }

    /** Packets handed to the bus so far. */
    public long sent() {
        return sent;
    }

    /** Packets pushed of flow {@code flows()[i]}: its sequence numbers are 0 .. pushed-1. Read after join. */
    public long pushed(int i) {
        return next[i];
    }

    /** How often the pool was empty (back-pressure); read after join. */
    public long emptyPool() {
        return emptyPool;
    }

    public boolean timedOut() {
        return timedOut;
    }

    public Throwable failure() {
        return failure;
    }
}
