package org.tunnelbus.openvpn.internal.server;

import java.net.InetSocketAddress;

import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.DropReason;

/**
 * How a listener lets an unknown peer in, and what its transport implies for the peer's session: the part
 * of a listener that differs between UDP and TCP. Used on the listener's control thread only.
 *
 * <ul>
 * <li>UDP ({@link CookieAdmission}): anyone can claim any source address, so the reset is answered
 *     statelessly with an HMAC cookie and state is created only for a follow-up that echoes it (§2.5).
 *     Peers may float; a stopping server tells clients {@code RESTART} (explicit-exit-notify).</li>
 * <li>TCP ({@link ConnectionAdmission}): the three-way TCP handshake already proved the address, and one
 *     connection is one peer (stock 2.6 has no cookie on TCP, {@code mudp.c} only). The session ends with its
 *     connection and the other way round; no float; no explicit-exit-notify (stock ignores it on TCP,
 *     {@code options.c}).</li>
 * </ul>
 */
interface TransportAdmission {
    /** The transport protocol, as {@code tunnelbus.transport.protocol} of the factory to open. */
    String protocol();

    /** Fills the HARD_RESET_SERVER_V2 answering a client's reset (message id 0, our session id, ACK [0]). */
    void fillReset(ControlPacket out, InetSocketAddress client, long clientSessionId, long nowSeconds);

    /** @return null if this follow-up of an unknown peer may create a session, else why not */
    DropReason checkFollowUp(ControlPacket packet, InetSocketAddress client, long nowSeconds);

    /** The peer's connection ended (stream transports): forget what was kept for it. */
    void connectionClosed(InetSocketAddress client);

    /** A peer connected (stream transports); it has until {@link #overdue} says so to start a session. */
    default void connectionOpened(InetSocketAddress client, long nowSeconds) {
    }

    /**
     * Connections opened at least {@code graceSeconds} ago that are still waiting (the listener checks
     * whether they have a session, and closes those that have none), each returned once.
     */
    default java.util.List<InetSocketAddress> overdue(long nowSeconds, long graceSeconds) {
        return java.util.List.of();
    }

    /** Whether a session's peer address may change (float). */
    boolean floats();

    /** Whether a stopping server tells connected clients {@code RESTART}. */
    boolean notifiesExit();

    /** Whether the end of a session closes its peer's connection. */
    boolean sessionOwnsConnection();

    /** Whether this admission still fits {@code settings} (else the listener makes a new one). */
    boolean fits(ServerSettings settings);
}
