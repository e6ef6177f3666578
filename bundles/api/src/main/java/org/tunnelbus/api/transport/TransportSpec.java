package org.tunnelbus.api.transport;

import java.net.InetSocketAddress;

/**
 * What to open.
 *
 * @param local                address to bind; port 0 picks one
 * @param remote               peer to connect to (client), or null for a server that accepts any peer
 * @param batch                packets per receive/send batch
 * @param sndbuf               socket send buffer in bytes, 0 for the system default
 * @param rcvbuf               socket receive buffer in bytes, 0 for the system default
 * @param connectTimeoutMillis how long a connection-oriented client transport (TCP) may take to connect
 *                             (OpenVPN --connect-timeout), 0 for the transport's default; {@code open} blocks up to
 *                             this long, so callers with other work call it off their own thread
 */
public record TransportSpec(InetSocketAddress local, InetSocketAddress remote, int batch, int sndbuf, int rcvbuf,
        int connectTimeoutMillis) {
    public TransportSpec {
        if (local == null) {
            throw new IllegalArgumentException("local address is required");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, was " + batch);
        }
        if (connectTimeoutMillis < 0) {
            throw new IllegalArgumentException("connectTimeoutMillis must not be negative, was " + connectTimeoutMillis);
        }
    }

    /** With the transport's default connect timeout. */
    public TransportSpec(InetSocketAddress local, InetSocketAddress remote, int batch, int sndbuf, int rcvbuf) {
        this(local, remote, batch, sndbuf, rcvbuf, 0);
    }
}
