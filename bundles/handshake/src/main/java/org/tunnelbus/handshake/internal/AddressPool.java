package org.tunnelbus.handshake.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

import org.tunnelbus.api.route.Prefix;

/**
 * The IPv4 address pool of a {@code topology subnet} tunnel: the server takes the network's first host
 * address, clients get the rest (up to the broadcast address). A client that reconnects gets its
 * previous address back while it is free, like {@code ifconfig-pool-persist} without the file.
 * Control-path only: synchronized.
 */
final class AddressPool {
    private final Prefix network;
    private final int base;
    private final int size;
    private final BitSet used = new BitSet();
    private final Map<String, Integer> lastByIdentity = new HashMap<>();

    AddressPool(Prefix network) {
        if (!network.isIpv4()) {
            throw new IllegalArgumentException("the tunnel network must be IPv4, was " + network);
        }
        if (network.length() > 29) {
            throw new IllegalArgumentException("the tunnel network " + network + " is too small (at most /29)");
        }
        this.network = network;
        this.base = network.network4();
        this.size = 1 << (32 - network.length());
        used.set(0); // network address
        used.set(1); // the server
        used.set(size - 1); // broadcast
    }

    Prefix network() {
        return network;
    }

    InetAddress server() {
        return address(1);
    }

    String netmask() {
        return toAddress(network.length() == 0 ? 0 : -1 << (32 - network.length())).getHostAddress();
    }

    /** A free address for {@code identity}, or null when the pool is exhausted. */
    synchronized InetAddress allocate(String identity) {
        Integer previous = lastByIdentity.get(identity);
        int index = previous != null && !used.get(previous) ? previous : used.nextClearBit(0);
        if (index >= size) {
            return null;
        }
        used.set(index);
        lastByIdentity.put(identity, index);
        return address(index);
    }

    /** Marks an address taken, e.g. one restored from a live session; false if it is outside the pool. */
    synchronized boolean claim(InetAddress address, String identity) {
        int index = indexOf(address);
        if (index <= 1 || index >= size - 1) {
            return false;
        }
        used.set(index);
        lastByIdentity.put(identity, index);
        return true;
    }

    synchronized void release(InetAddress address) {
        int index = indexOf(address);
        if (index > 1 && index < size - 1) {
            used.clear(index);
        }
    }

    synchronized int free() {
        return size - used.cardinality();
    }

    private int indexOf(InetAddress address) {
        int a = ByteBuffer.wrap(address.getAddress()).getInt();
        long index = Integer.toUnsignedLong(a - base);
        return index < size ? (int) index : -1;
    }

    private InetAddress address(int index) {
        return toAddress(base + index);
    }

    private static InetAddress toAddress(int value) {
        try {
            return InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(value).array());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 bytes: cannot happen
        }
    }
}
