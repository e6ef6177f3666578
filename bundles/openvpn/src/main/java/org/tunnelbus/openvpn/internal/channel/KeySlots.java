package org.tunnelbus.openvpn.internal.channel;

/**
 * A control channel's two key states (stock's {@code KS_PRIMARY} and {@code KS_LAME_DUCK}): the current one, and
 * the one it replaced, kept for a while to receive with and to re-ACK late retransmissions. Control thread only.
 */
final class KeySlots {
    private KeyState current;
    private KeyState previous;

    KeyState current() {
        return current;
    }

    KeyState previous() {
        return previous;
    }

    /** Both, the lame duck first (the order timers visit them). */
    KeyState[] both() {
        return new KeyState[] {previous, current};
    }

    KeyState forKeyId(int keyId) {
        if (current != null && current.keyId == keyId) {
            return current;
        }
        return previous != null && previous.keyId == keyId ? previous : null;
    }

    /** The key state whose TLS session carries control messages now, or null. */
    KeyState carrier() {
        if (current != null && (current.phase == KeyState.Phase.KEY_SENT || current.phase == KeyState.Phase.ACTIVE)) {
            return current;
        }
        return previous != null && previous.phase == KeyState.Phase.ACTIVE ? previous : null;
    }

    void first(KeyState ks) {
        current = ks;
    }

    /** A renegotiation starts: {@code next} becomes current, the current one the lame duck (an older one goes). */
    void rotate(KeyState next) {
        dropPrevious();
        previous = current;
        current = next;
    }

    /** The current key state failed: the lame duck takes over again. */
    void fallBack() {
        current.close();
        current = previous;
        previous = null;
    }

    void dropPrevious() {
        if (previous != null) {
            previous.close();
            previous = null;
        }
    }

    void closeAll() {
        if (current != null) {
            current.close();
        }
        dropPrevious();
    }

    String previousKeyId() {
        return previous == null ? "-" : Integer.toString(previous.keyId);
    }
}
