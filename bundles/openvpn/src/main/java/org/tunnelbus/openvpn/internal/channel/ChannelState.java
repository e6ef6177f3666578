package org.tunnelbus.openvpn.internal.channel;

/**
 * Where a control channel stands, either role (wire reference §2–§6):
 *
 * <pre>
 *  NEGOTIATING ──key id 0 active──▶ KEYED ──pushed / agreed──▶ UP ──────────────────────────┐
 *       │                            │                          │ renegotiations stay UP     │
 *       └──── refused, told to reconnect (a grace period for the last message) ──▶ CLOSING ─┴─▶ ENDED
 * </pre>
 *
 * A server is KEYED while it waits for the client's PUSH_REQUEST; a client while it waits for PUSH_REPLY. A server
 * may push before its own key method 2 is acknowledged (NEGOTIATING straight to UP). In the agreement model there
 * is nothing to push: UP follows KEYED at once. Any state may go straight to ENDED.
 */
public enum ChannelState {
    /** Key id 0: TLS, key method 2, authentication. */
    NEGOTIATING,
    /** Key id 0 is active; the tunnel's settings are not settled yet. */
    KEYED,
    /** The tunnel is up: data flows, keepalive runs, keys are renegotiated. */
    UP,
    /** Ending after a grace period (refused, or told to reconnect): nothing new is started. */
    CLOSING,
    /** Over: keys wiped, TLS sessions closed. */
    ENDED
}
