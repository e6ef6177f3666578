package org.tunnelbus.openvpn.internal.channel;

import org.tunnelbus.api.tls.TlsSpec;
import org.tunnelbus.openvpn.internal.tlswrap.ControlChannelWrapper;

/**
 * What a control channel needs of its side's configuration, listener or client alike.
 *
 * @param tlsSpec          the TLS engine's settings (role, certificates, versions)
 * @param wrapper          tls-crypt, tls-auth or plain; not thread-safe, used on the channel's thread only
 * @param tlsTimeoutMillis first retransmission timeout of a control packet (stock --tls-timeout)
 * @param handWindowMillis how long a key's TLS handshake and key exchange may take (stock --hand-window)
 * @param renegSeconds     this side starts a new key after this long; 0 = never (stock --reneg-sec)
 * @param renegBytes       ... or after this much traffic with the key; 0 = no limit (stock --reneg-bytes)
 */
public record ChannelSettings(TlsSpec tlsSpec, ControlChannelWrapper wrapper, long tlsTimeoutMillis,
        long handWindowMillis, int renegSeconds, long renegBytes) {

    /** {@code TLS_MTU_DEFAULT} of stock, IP and UDP headers included (wire reference §2.11). */
    public static final int TLS_MTU = 1250;
    private static final int IPV6_UDP_HEADERS = 48;

    /**
     * Bytes of TLS ciphertext per control packet: the datagram stays within stock's 1250-byte tls-mtu with IPv6 +
     * UDP headers, the wrapper, the header, four piggybacked ACKs and the message id.
     */
    public static int maxTlsChunk(ControlChannelWrapper wrapper) {
        return TLS_MTU - IPV6_UDP_HEADERS - wrapper.overhead() - 9 - (1 + 8 + 4 * 4) - 4;
    }

    int maxTlsChunk() {
        return maxTlsChunk(wrapper);
    }
}
