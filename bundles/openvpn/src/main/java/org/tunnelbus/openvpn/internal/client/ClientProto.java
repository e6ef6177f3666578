package org.tunnelbus.openvpn.internal.client;

import java.util.Locale;

import org.tunnelbus.openvpn.internal.occ.OccProto;

/**
 * What changes for a client between UDP and TCP, in one place, as stock 2.6 does it: the transport module to
 * open, the {@code proto} item of the options string (its {@code link-mtu} counts the 2-byte TCP length,
 * {@link org.tunnelbus.openvpn.internal.occ.LinkMtuCalculator}) and whether we announce our leaving. Everything
 * else (reset, TLS, push, keys, keepalive, renegotiation, backoff) is the same on both.
 */
public enum ClientProto {
    /** Datagrams: the server learns that we leave only from explicit-exit-notify (EXIT or OCC_EXIT). */
    UDP("udp", OccProto.UDP, true),
    /**
     * One stream: its closing tells the server that we left, so stock ignores explicit-exit-notify over TCP
     * ({@code options.c}: "--explicit-exit-notify ignored for --proto tcp").
     */
    TCP("tcp", OccProto.TCP_CLIENT, false);

    private final String transport;
    private final OccProto occ;
    private final boolean exitNotify;

    ClientProto(String transport, OccProto occ, boolean exitNotify) {
        this.transport = transport;
        this.occ = occ;
        this.exitNotify = exitNotify;
    }

    /**
     * The client's {@code proto} property: {@code udp}, or {@code tcp} / {@code tcp-client} (the names a stock
     * client configuration uses; {@code 4} suffixes accepted).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static ClientProto parse(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "udp", "udp4":
                return UDP;
            case "tcp", "tcp4", "tcp-client", "tcp4-client":
                return TCP;
            default:
                throw new IllegalArgumentException("'" + value + "' is not supported; udp or tcp");
        }
    }

    /** The {@link org.tunnelbus.api.transport.TransportFactory#PROTOCOL} of the transport module to open. */
    public String transport() {
        return transport;
    }

    /** Our {@code proto} in the options string: {@code UDPv4} or {@code TCPv4_CLIENT}. */
    public OccProto occ() {
        return occ;
    }

    /** Whether stopping sends EXIT / OCC_EXIT to the server (explicit-exit-notify). */
    public boolean exitNotify() {
        return exitNotify;
    }

    @Override
    public String toString() {
        return transport;
    }
}
