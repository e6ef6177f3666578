package org.tunnelbus.openvpn.internal.link;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.tunnelbus.api.packet.Packet;

/**
 * Hands control datagrams from the transport's thread to the control thread: each is copied (the pooled packet goes
 * back at once) and queued, at most {@code capacity} at a time, so a flood of control packets cannot take the pool
 * or the heap; beyond that they are dropped and counted.
 */
public final class ControlInbox {
    /** Handles one control datagram on the control thread. */
    public interface Handler {
        void handle(InetSocketAddress from, byte[] datagram);
    }

    private final int capacity;
    private final Executor controlThread;
    private final Handler handler;
    private final Runnable overflow;
    private final AtomicInteger queued = new AtomicInteger();

    /** @param overflow counts a datagram dropped because {@code capacity} were waiting */
    public ControlInbox(int capacity, Executor controlThread, Handler handler, Runnable overflow) {
        this.capacity = capacity;
        this.controlThread = controlThread;
        this.handler = handler;
        this.overflow = overflow;
    }

    /** Takes {@code p} (released here) and queues a copy of its bytes for the control thread. */
    public void offer(Packet p) {
        InetSocketAddress from = p.address();
        byte[] datagram = new byte[p.length()];
        p.buffer().get(p.offset(), datagram);
        p.release();
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            overflow.run();
            return;
        }
        try {
            controlThread.execute(() -> {
                queued.decrementAndGet();
                handler.handle(from, datagram);
            });
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet(); // stopping
        }
    }
}
