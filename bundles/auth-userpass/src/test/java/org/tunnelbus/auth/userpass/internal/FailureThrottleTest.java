package org.tunnelbus.auth.userpass.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class FailureThrottleTest {
    final TestClock clock = new TestClock();
    final FailureThrottle throttle = new FailureThrottle(5, 60_000, 60_000, clock);
    final InetAddress a = InetAddress.getLoopbackAddress();

    @Test
    void fiveFailuresInTheWindowBlockForTheBlockTime() throws Exception {
        for (int i = 0; i < 4; i++) {
            throttle.failed(a);
            clock.advance(1_000);
        }
        assertEquals(0, throttle.blockedFor(a));
        assertEquals(0, throttle.blockedFor(InetAddress.getByName("192.0.2.9")));
        throttle.failed(a);
        assertEquals(60_000, throttle.blockedFor(a));
        clock.advance(59_999);
        assertEquals(1, throttle.blockedFor(a));
        clock.advance(1);
        assertEquals(0, throttle.blockedFor(a));
        throttle.failed(a); // counting starts afresh after a block
        assertEquals(0, throttle.blockedFor(a));
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        for (int i = 0; i < 10; i++) {
            throttle.failed(a);
            clock.advance(15_000); // 4 within any 60 s
        }
        assertEquals(0, throttle.blockedFor(a));
    }

    @Test
    void aSuccessForgetsEarlierFailures() {
        for (int i = 0; i < 4; i++) {
            throttle.failed(a);
        }
        throttle.succeeded(a);
        throttle.failed(a);
        assertEquals(0, throttle.blockedFor(a));
    }

    @Test
    void zeroDisablesAndTheTableIsBounded() throws Exception {
        FailureThrottle off = new FailureThrottle(0, 60_000, 60_000, clock);
        for (int i = 0; i < 10; i++) {
            off.failed(a);
        }
        assertEquals(0, off.blockedFor(a));
        for (int i = 0; i < FailureThrottle.MAX_ADDRESSES + 100; i++) {
            throttle.failed(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
        }
        assertTrue(throttle.size() <= FailureThrottle.MAX_ADDRESSES);
    }
}
