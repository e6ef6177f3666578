package org.tunnelbus.device.tun.internal;

import org.tunnelbus.testsupport.TestPacketPool;

/**
 * The pools the device tests use: test-support's bounded direct pool (it allocates nothing per packet, so the
 * benchmark's allocation figures are the device's own), sized for this module.
 */
final class TestAllocator {
    static final int HEADROOM = 64;

    private TestAllocator() {
    }

    static TestPacketPool of(int packets, int capacity) {
        return new TestPacketPool(packets, HEADROOM, capacity);
    }

    /** A pool for ordinary packets (MTU up to 9000). */
    static TestPacketPool small() {
        return of(512, 9216);
    }

    /** A pool whose buffers hold a 64 KiB GSO super-packet. */
    static TestPacketPool gso() {
        return of(512, TunDevice.GSO_MAX_READ + 64);
    }
}
