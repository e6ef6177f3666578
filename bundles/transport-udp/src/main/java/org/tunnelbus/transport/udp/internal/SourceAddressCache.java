package org.tunnelbus.transport.udp.internal;

import java.net.InetSocketAddress;

/**
 * Gives packets from a known peer one shared {@link InetSocketAddress} instance.
 *
 * <p>{@code DatagramChannel.receive} decodes the sender into a new {@code InetSocketAddress} (and
 * {@code InetAddress}) whenever it differs from the previous datagram's sender; the JDK itself only
 * remembers the last one. With many peers interleaving that is two objects per packet, and downstream
 * lookups keyed by address would see a different instance each time. This cache keeps the last
 * {@value #SIZE} distinct senders and hands back the cached instance on an {@code equals} match (which
 * compares address bytes and port, allocating nothing), so the JDK's fresh object dies young and the
 * packet carries the long-lived one. Replacement is round-robin.
 *
 * <p>Owned by the receive thread: not thread-safe.
 */
final class SourceAddressCache {
    static final int SIZE = 8;

    private final InetSocketAddress[] entries = new InetSocketAddress[SIZE];
    private int next;

    /** The cached instance equal to {@code address}, or {@code address} itself, now cached. */
    InetSocketAddress canonical(InetSocketAddress address) {
        InetSocketAddress[] e = entries;
        for (int i = 0; i < e.length; i++) {
            InetSocketAddress cached = e[i];
            if (cached == address) {
                return cached;
            }
        }
        for (int i = 0; i < e.length; i++) {
            InetSocketAddress cached = e[i];
            if (cached != null && cached.equals(address)) {
                return cached;
            }
        }
        e[next] = address;
        next = (next + 1) % e.length;
        return address;
    }
}
