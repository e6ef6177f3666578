package org.tunnelbus.handshake.internal;

import org.tunnelbus.api.handshake.HandshakeRefusedException;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionState;

/**
 * The one peer of a peer-to-peer tunnel (stock p2p has exactly one). Another identity is refused while the peer's
 * session lives; the same identity takes the slot over, since stock peers reconnect with a new session after a
 * restart and the old one only ends at its keepalive timeout.
 */
final class PeerSlot {
    private Session holder;

    /** @throws HandshakeRefusedException if another peer holds the tunnel */
    synchronized void take(Session session, String identity) throws HandshakeRefusedException {
        if (holder != null && holder != session && holder.state() != SessionState.CLOSED
                && !holder.name().equals(identity)) {
            throw new HandshakeRefusedException("the peer-to-peer tunnel has one peer and " + holder.name()
                    + " holds it (agreement mode)");
        }
        holder = session;
    }

    synchronized void release(Session session) {
        if (holder == session) {
            holder = null;
        }
    }

    synchronized void restore(Session session) {
        holder = session;
    }
}
