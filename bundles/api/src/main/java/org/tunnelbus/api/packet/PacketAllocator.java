package org.tunnelbus.api.packet;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Hands out pooled packets.
 *
 * <p>Implemented by the core (one bounded pool of direct buffers). Called by devices and transports when
 * they read, and by control-channel code that builds packets. Stages never allocate: they work in place.
 * The pool is bounded: an empty pool is back-pressure, not an error, and callers wait or read later.
 */
@ProviderType
public interface PacketAllocator {
    /** A packet with an empty data region at {@link #headroom()}, or null when the pool is exhausted. */
    Packet allocate();

    /**
     * Fills {@code batch} up to its capacity, or fewer if the pool runs short.
     *
     * @return the number of packets added
     */
    int allocate(PacketBatch batch);

    /** Bytes in front of the data of a fresh packet, enough for every stage's declared headroom. */
    int headroom();

    /** Bytes from the data offset of a fresh packet to the end of its buffer. */
    int capacity();

    /** Packets currently handed out and not yet released. */
    long outstanding();
}
