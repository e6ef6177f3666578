package org.tunnelbus.testsupport;

import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A fault injector between two in-memory transports (after OpenVPN 3's {@code transport/gremlin.hpp}):
 * drops, delays, duplicates and reorders datagrams with a seeded {@link Random}, so a failing test can be
 * replayed. Bounded: at most {@code maxInFlight} datagrams wait at once; beyond it they are dropped
 * (counted as overflow), like a full socket buffer.
 *
 * <p>Thread-safe. {@link #close()} stops the delay thread and forgets what was in flight.
 */
public final class LossyLink implements AutoCloseable {
    private final Random random;
    private final double loss;
    private final double duplicate;
    private final double reorder;
    private final int minDelayMs;
    private final int maxDelayMs;
    private final int maxInFlight;
    private final ScheduledExecutorService timer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong reordered = new AtomicLong();
    private final AtomicLong overflow = new AtomicLong();

    private LossyLink(Builder b) {
        random = new Random(b.seed);
        loss = b.loss;
        duplicate = b.duplicate;
        reorder = b.reorder;
        minDelayMs = b.minDelayMs;
        maxDelayMs = b.maxDelayMs;
        maxInFlight = b.maxInFlight;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "lossy-link");
            th.setDaemon(true);
            return th;
        });
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer = t;
    }

    /** A perfect link (no loss, no delay), to be made worse with the builder. */
    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    /** Settings of a {@link LossyLink}. */
    public static final class Builder {
        private final long seed;
        private double loss;
        private double duplicate;
        private double reorder;
        private int minDelayMs;
        private int maxDelayMs;
        private int maxInFlight = 4096;

        private Builder(long seed) {
            this.seed = seed;
        }

        /** Probability (0..1) that a datagram is lost. */
        public Builder loss(double p) {
            loss = check(p);
            return this;
        }

        /** Probability that a datagram arrives twice. */
        public Builder duplicate(double p) {
            duplicate = check(p);
            return this;
        }

        /** Probability that a datagram is held back behind later ones (an extra delay of up to 20 ms). */
        public Builder reorder(double p) {
            reorder = check(p);
            return this;
        }

        /** Delay of every datagram, uniform in {@code [minMs, maxMs]}. */
        public Builder delay(int minMs, int maxMs) {
            if (minMs < 0 || maxMs < minMs || maxMs > 10_000) {
                throw new IllegalArgumentException("delay " + minMs + ".." + maxMs);
            }
            minDelayMs = minMs;
            maxDelayMs = maxMs;
            return this;
        }

        /** Bound of datagrams waiting in the link. */
        public Builder maxInFlight(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxInFlight " + n);
            }
            maxInFlight = n;
            return this;
        }

        public LossyLink build() {
            return new LossyLink(this);
        }

        private static double check(double p) {
            if (p < 0 || p > 1) {
                throw new IllegalArgumentException("probability " + p);
            }
            return p;
        }
    }

    /** Sends one datagram across: {@code deliver} runs later (or never, or twice) on the link's thread. */
    public void send(byte[] datagram, Consumer<byte[]> deliver) {
        sent.incrementAndGet();
        int delay;
        boolean dup;
        synchronized (random) {
            if (random.nextDouble() < loss) {
                lost.incrementAndGet();
                return;
            }
            delay = minDelayMs + (maxDelayMs > minDelayMs ? random.nextInt(maxDelayMs - minDelayMs + 1) : 0);
            if (random.nextDouble() < reorder) {
                reordered.incrementAndGet();
                delay += 1 + random.nextInt(20);
            }
            dup = random.nextDouble() < duplicate;
        }
        schedule(datagram, deliver, delay);
        if (dup) {
            duplicated.incrementAndGet();
            schedule(datagram.clone(), deliver, delay + 1);
        }
    }

    private void schedule(byte[] datagram, Consumer<byte[]> deliver, int delayMs) {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            overflow.incrementAndGet();
            return;
        }
        try {
            timer.schedule(() -> {
                inFlight.decrementAndGet();
                deliver.accept(datagram);
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            inFlight.decrementAndGet();
        }
    }

    public long sent() {
        return sent.get();
    }

    public long lost() {
        return lost.get();
    }

    public long duplicated() {
        return duplicated.get();
    }

    public long reordered() {
        return reordered.get();
    }

    public long overflow() {
        return overflow.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    @Override
    public String toString() {
        return "LossyLink[sent " + sent + ", lost " + lost + ", duplicated " + duplicated + ", reordered " + reordered
                + ", overflow " + overflow + "]";
    }
}
