package org.tunnelbus.api.transport;

import java.net.InetSocketAddress;

/**
 * What to open.
 *
 * @param local   address to bind; port 0 picks one
 * @param remote  peer to connect to (client), or null for a server that accepts any peer
 * @param batch   packets per receive/send batch
 * @param sndbuf  socket send buffer in bytes, 0 for the system default
 * @param rcvbuf  socket receive buffer in bytes, 0 for the system default
 */
public record TransportSpec(InetSocketAddress local, InetSocketAddress remote, int batch, int sndbuf, int rcvbuf) {
    public TransportSpec {
        if (local == null) {
            throw new IllegalArgumentException("local address is required");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, was " + batch);
        }
    }
}
