package org.tunnelbus.openvpn.internal.channel;

/** How a control channel ended, for what its side does next (a client reconnects or stays down; a server forgets). */
public enum Outcome {
    /** Try again, with the next server of the list (a failed or lost connection, as stock). */
    RECONNECT,
    /** Try again with the same server: it asked us to (RESTART without the N flag), or refused only our token. */
    RECONNECT_SAME,
    /** Stay down: refused, told to halt, or stopped. */
    HALT
}
