package org.tunnelbus.openvpn.internal.client;

import java.util.Random;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.openvpn.internal.link.ControlThread;

/**
 * When and where a client connection tries again (stock {@code --connect-retry}, {@code --remote}): after the
 * doubling {@link Backoff}, with the next server of the {@link RemoteList} after a failed or lost connection. One
 * attempt is scheduled at a time. Used on the connector's control thread.
 */
final class Reconnects {
    private static final Logger LOG = LoggerFactory.getLogger(Reconnects.class);

    private final String pid;
    private final RemoteList remotes;
    private final Backoff backoff;
    private final ControlThread control;
    private ScheduledFuture<?> retry;

    Reconnects(String pid, ClientSettings settings, ControlThread control) {
        this.pid = pid;
        this.remotes = new RemoteList(settings.remotes(), settings.remoteRandom(), new Random());
        this.backoff = new Backoff(settings.retryMillis(), settings.retryMaxMillis());
        this.control = control;
    }

    /** The server the next attempt goes to. */
    RemoteList.Remote server() {
        return remotes.current();
    }

    /** A failed or lost connection: the next attempt goes to the next server of the list, if there is one. */
    void nextServer() {
        if (remotes.size() > 1) {
            remotes.advance();
            LOG.info("OpenVPN client {}: next server {}", pid, remotes.current());
        }
    }

    /** Runs {@code attempt} after the backoff, unless one is scheduled already. */
    void schedule(Runnable attempt) {
        if (retry != null) {
            return;
        }
        long delay = backoff.next();
        LOG.info("OpenVPN client {}: next attempt in {} s", pid, delay / 1000.0);
        retry = control.after(delay, () -> {
            retry = null;
            attempt.run();
        });
    }

    /** Whether an attempt waits for its time. */
    boolean scheduled() {
        return retry != null;
    }

    void cancel() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    /** The tunnel came up: the next failure retries after the first delay again. */
    void connected() {
        backoff.reset();
    }
}
