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
    private final BitSet reserved = new BitSet();
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

    /** A free address for {@code identity}, or null when the pool is exhausted. Reserved addresses are skipped. */
    synchronized InetAddress allocate(String identity) {
        Integer previous = lastByIdentity.get(identity);
        int index;
        if (previous != null && !used.get(previous) && !reserved.get(previous)) {
            index = previous;
        } else {
            index = used.nextClearBit(0);
            while (index < size && reserved.get(index)) {
                index = used.nextClearBit(index + 1);
            }
        }
        if (index >= size) {
            return null;
        }
        used.set(index);
        lastByIdentity.put(identity, index);
        return address(index);
    }

    /** Keeps {@code addresses} (the fixed addresses of per-client overrides) out of {@link #allocate}. */
    synchronized void reserve(Iterable<InetAddress> addresses) {
        reserved.clear();
        for (InetAddress a : addresses) {
            int index = indexOf(a);
            if (index > 1 && index < size - 1) {
                reserved.set(index);
            }
        }
    }

    /** Whether {@code address} is a client address of this pool (not the network, server or broadcast address). */
    boolean isClientAddress(InetAddress address) {
        int index = indexOf(address);
        return index > 1 && index < size - 1;
    }

    /** Takes a fixed address for {@code identity}; false if another client holds it. */
    synchronized boolean claimFixed(InetAddress address, String identity) {
        int index = indexOf(address);
        if (index <= 1 || index >= size - 1 || used.get(index)) {
            return false;
        }
        used.set(index);
        lastByIdentity.put(identity, index);
        return true;
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
