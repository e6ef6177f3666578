package org.tunnelbus.openvpn.internal.channel;

/**
 * When a side starts a renegotiation of its current data key, as stock's {@code ssl.c tls_process_state()} decides
 * it: {@code reneg-sec} elapsed, {@code reneg-bytes} of traffic since the key took over, or its packet ids close to
 * wrapping. Used by the server's and the client's control channel alike.
 */
public final class RenegotiationTrigger {
    private RenegotiationTrigger() {
    }

    /**
     * @param side                 "server" or "client", for the reason
     * @param now                  the clock, in millis
     * @param renegotiateAtMillis  when reneg-sec is up for this key (Long.MAX_VALUE: never)
     * @param trafficSinceActive   payload bytes in and out since this key took over
     * @param renegBytes           the reneg-bytes limit, 0 for none
     * @param wrapping             whether the sending packet ids are close to wrapping
     * @return why a renegotiation is due now ("server (reneg-bytes 1048576)"), or null if it is not
     */
    public static String due(String side, long now, long renegotiateAtMillis, long trafficSinceActive,
            long renegBytes, boolean wrapping) {
        if (wrapping) {
            return side + " (packet ids close to wrapping)";
        }
        if (now >= renegotiateAtMillis) {
            return side + " (reneg-sec)";
        }
        if (renegBytes > 0 && trafficSinceActive >= renegBytes) {
            return side + " (reneg-bytes " + renegBytes + ": " + trafficSinceActive + " bytes since the key took over)";
        }
        return null;
    }
}
