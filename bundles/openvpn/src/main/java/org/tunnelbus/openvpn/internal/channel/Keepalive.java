package org.tunnelbus.openvpn.internal.channel;

import org.tunnelbus.api.session.Session;

/**
 * Keepalive bookkeeping of one connection, server or client side (wire reference §6.5): a ping is due after
 * {@code ping} seconds without sending, a restart after {@code ping-restart} seconds without receiving. Traffic is
 * seen through the session's byte counters, which the data-path stages keep; valid control packets count as
 * received. Used on the connection's control thread.
 */
public final class Keepalive {
    private final Session session;
    private long lastBytesIn;
    private long lastBytesOut;
    private long lastInMillis;
    private long lastOutMillis;

    public Keepalive(Session session, long nowMillis) {
        this.session = session;
        reset(nowMillis);
    }

    /** Starts counting silence from now (the tunnel just came up). */
    public void reset(long nowMillis) {
        lastInMillis = nowMillis;
        lastOutMillis = nowMillis;
        lastBytesIn = session.bytesIn();
        lastBytesOut = session.bytesOut();
    }

    public void received(long nowMillis) {
        lastInMillis = nowMillis;
    }

    /** Whether to send a ping now; if so, the send silence starts again. */
    public boolean pingDue(long nowMillis, int pingSeconds) {
        long out = session.bytesOut();
        if (out != lastBytesOut) {
            lastBytesOut = out;
            lastOutMillis = nowMillis;
        }
        if (pingSeconds <= 0 || nowMillis - lastOutMillis < pingSeconds * 1000L) {
            return false;
        }
        lastOutMillis = nowMillis;
        return true;
    }

    /** Whether nothing was received for {@code pingRestartSeconds}. */
    public boolean restartDue(long nowMillis, int pingRestartSeconds) {
        long in = session.bytesIn();
        if (in != lastBytesIn) {
            lastBytesIn = in;
            lastInMillis = nowMillis;
        }
        return pingRestartSeconds > 0 && nowMillis - lastInMillis > pingRestartSeconds * 1000L;
    }

    /**
     * Sends a ping through {@code ping} when one is due.
     *
     * @return why the connection ends (nothing received for {@code pingRestartSeconds}), or null
     */
    String check(long nowMillis, int pingSeconds, int pingRestartSeconds, Runnable ping) {
        if (pingDue(nowMillis, pingSeconds)) {
            ping.run();
        }
        return restartDue(nowMillis, pingRestartSeconds)
                ? "ping-restart: nothing received for " + receiveSilenceMillis(nowMillis) / 1000 + " s" : null;
    }

    /** Milliseconds since something was last received. */
    public long receiveSilenceMillis(long nowMillis) {
        return nowMillis - lastInMillis;
    }
}
