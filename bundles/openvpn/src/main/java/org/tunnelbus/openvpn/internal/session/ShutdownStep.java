package org.tunnelbus.openvpn.internal.session;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step of stopping a listener or a client connection, run on its control thread (the only thread that may
 * touch its sessions) and waited for at most 3 s, so a stuck step cannot hold up the bundle's deactivation.
 */
public final class ShutdownStep {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownStep.class);
    private static final long WAIT_SECONDS = 3;

    private ShutdownStep() {
    }

    /** Runs {@code step} on {@code executor} and waits for it; nothing if the executor is already stopped. */
    public static void run(ExecutorService executor, String what, Runnable step) {
        Future<?> f;
        try {
            f = executor.submit(step);
        } catch (RejectedExecutionException e) {
            return; // already stopping
        }
        try {
            f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("{}: shutdown step failed", what, e);
        }
    }
}
