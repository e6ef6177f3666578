package org.tunnelbus.openvpn.internal.link;

import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that runs a listener's or a client connection's control work (its channels, timers,
 * configuration): named, daemon. Work from other threads is queued; work from this thread runs at once. A task
 * that throws is logged, never lost silently, and never stops the thread.
 */
public final class ControlThread implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(ControlThread.class);
    /** A shutdown step is waited for at most this long, so a stuck one cannot hold up the bundle's deactivation. */
    private static final long STEP_SECONDS = 3;

    private final Supplier<String> owner;
    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    /**
     * @param threadName e.g. {@code tunnelbus-openvpn-control-3}
     * @param owner      e.g. {@code OpenVPN server org.tunnelbus.openvpn.server~default}, for log lines
     */
    public ControlThread(String threadName, Supplier<String> owner) {
        this.owner = owner;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Queues {@code r} (also from this thread); nothing once stopped. */
    @Override
    public void execute(Runnable r) {
        try {
            executor.execute(() -> guarded(r));
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /** Runs {@code r} now if called on this thread, else queues it. */
    public void run(Runnable r) {
        if (Thread.currentThread() == thread) {
            r.run();
        } else {
            execute(r);
        }
    }

    /** Runs {@code r} every {@code millis}. */
    public void every(long millis, Runnable r) {
        executor.scheduleAtFixedRate(() -> guarded(r), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** The timers of a channel endpoint: {@code tick} every 100 ms, {@code housekeeping} after every tenth. */
    public void ticks(Runnable tick, Runnable housekeeping) {
        long[] n = new long[1];
        every(100, () -> {
            tick.run();
            if (++n[0] % 10 == 0) {
                housekeeping.run();
            }
        });
    }

    /** Runs {@code r} once after {@code millis}; null once stopped. */
    public ScheduledFuture<?> after(long millis, Runnable r) {
        try {
            return executor.schedule(() -> guarded(r), millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** Runs one step of stopping on this thread and waits for it (at most 3 s); nothing once stopped. */
    public void step(Runnable r) {
        Future<?> f;
        try {
            f = executor.submit(r);
        } catch (RejectedExecutionException e) {
            return;
        }
        try {
            f.get(STEP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("{}: shutdown step failed", owner.get(), e);
        }
    }

    /** Stops the thread (queued work is dropped) and waits up to 2 s for the running task. */
    public void stop() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: control task failed", owner.get(), e);
        }
    }
}
