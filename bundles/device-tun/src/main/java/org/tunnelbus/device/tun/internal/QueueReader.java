package org.tunnelbus.device.tun.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.device.DeviceListener;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;

/**
 * The reader of one queue: one platform thread that waits in {@code poll(2)} on the queue's descriptor
 * and on the device's wake-up eventfd, then drains the queue into a {@link PacketBatch} and hands the
 * batch to the parent on this same thread (the chain runs where the packet was read).
 *
 * <h2>Flow of one wake-up</h2>
 * <ol>
 *   <li>{@code poll} returns: the eventfd is readable → stop; the queue has {@code POLLERR}/{@code POLLHUP}
 *       → the interface is gone (lost); {@code POLLIN} → drain.</li>
 *   <li>Drain: up to {@code batch.capacity()} times, take a pooled packet and {@code read(2)} straight into
 *       its direct buffer at the data offset ({@code address + offset}, no copy, no allocation). The
 *       descriptor is non-blocking: {@code EAGAIN} ends the drain and the unused packet stays as the spare
 *       for the next wake-up.</li>
 *   <li>{@code parent.read(batch)}: ownership passes, the batch is empty on return.</li>
 * </ol>
 *
 * <h2>Concurrency</h2>
 * Only this thread touches the batch, the spare packet and the poll array. {@link #requestStop()} may be
 * called from any thread: it clears {@code running} and the owner writes the shared eventfd, which wakes
 * every reader of the device at once; a blocked reader returns within microseconds. The descriptors are
 * closed by the owner only after the reader has ended ({@link #join}).
 *
 * <p>An empty pool is back-pressure: the packets wait in the kernel queue (up to {@code txqueuelen}, then
 * the kernel drops and counts them) and the reader retries after a millisecond.
 */
final class QueueReader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueReader.class);
    /** A safety net only: the eventfd wakes a stopping reader at once. */
    private static final int POLL_TIMEOUT_MS = 500;
    private static final long POOL_EMPTY_BACKOFF_NS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Told when the queue finds the interface gone. */
    interface LostHandler {
        void lost(String reason);
    }

    private final Native n;
    private final String device;
    private final int queue;
    private final int fd;
    private final DeviceListener parent;
    private final PacketAllocator allocator;
    private final PacketBatch batch;
    private final DeviceCounters counters;
    private final boolean vnet;
    private final LostHandler onLost;
    private final ByteBuffer pollfds;
    private final long pollAddress;
    private final Thread thread;
    private volatile boolean running = true;
    private Packet spare;
    private long lastWarn;

    QueueReader(Native n, String device, int queue, int fd, int wakeFd, DeviceListener parent, int batchSize,
                DeviceCounters counters, boolean vnet, LostHandler onLost) {
        this.n = n;
        this.device = device;
        this.queue = queue;
        this.fd = fd;
        this.parent = parent;
        this.allocator = parent.allocator();
        this.batch = new PacketBatch(batchSize);
        this.counters = counters;
        this.vnet = vnet;
        this.onLost = onLost;
        // struct pollfd { int fd; short events; short revents; } x 2
        this.pollfds = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        pollfds.putInt(0, fd).putShort(4, Native.POLLIN);
        pollfds.putInt(8, wakeFd).putShort(12, Native.POLLIN);
        this.pollAddress = n.address(pollfds);
        this.thread = new Thread(this, "tunnelbus-" + device + "-q" + queue);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    /** Asks the loop to end; the owner also writes the wake-up eventfd. */
    void requestStop() {
        running = false;
    }

    /** Waits until the thread ended or the deadline passed; true when it ended. */
    boolean join(long deadlineNanos) throws InterruptedException {
        if (thread == Thread.currentThread()) {
            return true; // asked to stop from its own parent callback: it ends when the callback returns
        }
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        return !thread.isAlive();
    }

    @Override
    public void run() {
        LOG.debug("{} queue {} reader started (fd {})", device, queue, fd);
        try {
            loop();
        } catch (Throwable t) {
            LOG.error("{} queue {} reader failed", device, queue, t);
        } finally {
            if (spare != null) {
                spare.release();
                spare = null;
            }
            batch.releaseAll();
            LOG.debug("{} queue {} reader ended", device, queue);
        }
    }

    private void loop() {
        boolean more = false; // the last drain filled the batch: the queue likely has more, skip poll
        while (running) {
            if (!more) {
                pollfds.putShort(6, (short) 0).putShort(14, (short) 0);
                int r = n.libc.poll(pollAddress, 2, POLL_TIMEOUT_MS);
                if (!running) {
                    return;
                }
                if (r < 0) {
                    int e = n.errno();
                    if (e != Native.EINTR) {
                        warn("poll: " + n.strerror(e));
                        LockSupport.parkNanos(POOL_EMPTY_BACKOFF_NS);
                    }
                    continue;
                }
                if (r == 0) {
                    continue;
                }
                if (pollfds.getShort(14) != 0) {
                    return; // wake-up: the device is stopping
                }
                short revents = pollfds.getShort(6);
                if ((revents & (Native.POLLERR | Native.POLLHUP | Native.POLLNVAL)) != 0 && (revents & Native.POLLIN) == 0) {
                    onLost.lost("queue " + queue + ": poll reports " + ((revents & Native.POLLNVAL) != 0 ? "POLLNVAL" : "POLLERR/POLLHUP")
                            + " - interface deleted underneath");
                    return;
                }
            }
            int read = drain();
            if (read < 0) {
                return;
            }
            more = read == batch.capacity();
        }
    }

    /**
     * Reads until the queue is empty or the batch is full, then delivers.
     *
     * @return the number of packets delivered, or -1 when the device is lost
     */
    private int drain() {
        boolean alive = true;
        while (!batch.isFull()) {
            Packet p = spare;
            spare = null;
            if (p == null) {
                p = allocator.allocate();
                if (p == null) {
                    counters.poolEmpty.increment();
                    if (batch.isEmpty()) {
                        LockSupport.parkNanos(POOL_EMPTY_BACKOFF_NS);
                    }
                    break;
                }
            }
            ByteBuffer buf = p.buffer();
            int off = p.offset();
            int room = buf.capacity() - off;
            long got = n.libc.read(fd, n.address(buf) + off, room);
            if (got < 0) {
                spare = p;
                int e = n.errno();
                if (e == Native.EAGAIN || e == Native.EINTR) {
                    break;
                }
                if (e == Native.EBADFD || e == Native.EBADF || e == Native.ENODEV) {
                    alive = false;
                    onLost.lost("queue " + queue + ": read: " + n.strerror(e) + " - interface deleted underneath");
                    break;
                }
                warn("read: " + n.strerror(e));
                break;
            }
            if (got > room) {
                counters.drop(DeviceCounters.Drop.TRUNCATED);
                spare = p;
                continue;
            }
            int len = (int) got;
            if (vnet) {
                if (len < VirtioNetHeader.SIZE || !VirtioNetHeader.plausible(buf, off, len - VirtioNetHeader.SIZE)) {
                    counters.drop(DeviceCounters.Drop.MALFORMED);
                    spare = p;
                    continue;
                }
                if (VirtioNetHeader.gsoType(buf, off) != VirtioNetHeader.GSO_NONE) {
                    counters.readGso.increment();
                }
                counters.readBytes.add(len - VirtioNetHeader.SIZE);
            } else {
                counters.readBytes.add(len);
            }
            p.setLength(len);
            counters.readPackets.increment();
            batch.add(p);
        }
        int read = batch.size();
        if (read > 0) {
            counters.readBatches.increment();
            try {
                parent.read(batch);
            } catch (RuntimeException | Error e) {
                counters.listenerErrors.increment();
                warn("parent failed on a batch read from the device: " + e);
            } finally {
                if (!batch.isEmpty()) {
                    batch.clear(); // ownership passed with the call, whatever the parent did
                }
            }
        }
        return alive ? read : -1;
    }

    private void warn(String what) {
        long now = System.nanoTime();
        if (now - lastWarn > TimeUnit.SECONDS.toNanos(10)) {
            lastWarn = now;
            LOG.warn("{} queue {}: {}", device, queue, what);
        }
    }
}
