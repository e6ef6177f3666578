package org.tunnelbus.management.openvpn.internal;

import java.time.Instant;
import java.util.Collection;

import org.tunnelbus.api.session.PeerControl;
import org.tunnelbus.api.session.Session;

/** What the management commands see of the running instance; implemented by the component, faked in tests. */
interface Daemon {
    /** The live sessions. */
    Collection<Session> sessions();

    /** Ends a session: silently as stock's {@code kill} (notice null), or telling the peer ({@code client-kill}). */
    void end(Session session, PeerControl.Notice notice, String reason);

    /** {@code OpenVPN 2.6 ...} for {@code version}, {@code help} and status TITLE lines. */
    String title();

    long pid();

    Instant now();

    History log();

    History state();

    History echo();

    boolean hold();

    void hold(boolean on);

    /**
     * Acts on a stock signal name: {@code SIGHUP}/{@code SIGUSR1} restart every client, {@code SIGUSR2} logs the
     * status, {@code SIGTERM} stops the instance. Returns false for a name that is not one of these.
     */
    boolean signal(String name);
}
