package org.tunnelbus.api.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** §6.3 / packet_id.c semantics, short form (time 0) and long form. */
class ReplayWindowTest {
    private static final long NOW = 1_795_598_497L;
    private final ReplayWindow window = new ReplayWindow();

    @Test
    void idZeroIsNeverValid() {
        assertFalse(window.accept(0, 0, NOW));
    }

    @Test
    void inOrderIdsAreAcceptedOnce() {
        for (long id = 1; id <= 200; id++) {
            assertTrue(window.accept(id, 0, NOW));
            assertFalse(window.accept(id, 0, NOW), "replay of " + id);
        }
    }

    @Test
    void reorderingWithinSixtyFourIsAcceptedOnce() {
        assertTrue(window.accept(100, 0, NOW));
        assertTrue(window.accept(37, 0, NOW)); // 100 - 63
        assertFalse(window.accept(37, 0, NOW));
        assertFalse(window.accept(36, 0, NOW)); // 64 behind: outside the window
        assertTrue(window.accept(99, 0, NOW));
        assertFalse(window.accept(100, 0, NOW));
    }

    @Test
    void aLargeJumpForgetsTheOldWindow() {
        assertTrue(window.accept(5, 0, NOW));
        assertTrue(window.accept(1_000_000, 0, NOW));
        assertFalse(window.accept(5, 0, NOW));
        assertTrue(window.accept(999_990, 0, NOW));
        assertFalse(window.accept(999_990, 0, NOW));
    }

    @Test
    void shuffledTrafficIsAcceptedExactlyOnce() {
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= 5000; id++) {
            ids.add(id);
        }
        // local shuffles within blocks of 32 stay inside the window of 64
        Random random = new Random(7);
        for (int i = 0; i < ids.size(); i += 32) {
            Collections.shuffle(ids.subList(i, Math.min(ids.size(), i + 32)), random);
        }
        for (long id : ids) {
            assertTrue(window.accept(id, 0, NOW), "first " + id);
        }
        for (long id : ids.subList(ids.size() - 64, ids.size())) {
            assertFalse(window.accept(id, 0, NOW), "second " + id);
        }
    }

    /** An unseen older id expires once a newer id has been seen more than 15 s ago. */
    @Test
    void oldGapsExpireAfterTheTimeBacktrack() {
        assertTrue(window.accept(1, 0, NOW));
        assertTrue(window.accept(3, 0, NOW)); // 2 missing
        assertTrue(window.accept(10, 0, NOW + 10)); // 4..9 missing
        assertTrue(window.accept(11, 0, NOW + 17)); // reap: 3 was seen 17 s ago -> 2 and older expire
        assertFalse(window.accept(2, 0, NOW + 17));
        assertTrue(window.accept(5, 0, NOW + 17)); // newer than the expired part, still open
        assertTrue(window.accept(12, 0, NOW + 30)); // reap: 10 seen 20 s ago -> 9..4 expire
        assertFalse(window.accept(9, 0, NOW + 30));
    }

    /** Stock reaps at most every 5 s, so a gap can outlive the 15 s by up to that much. */
    @Test
    void reapingHappensAtMostEveryFiveSeconds() {
        assertTrue(window.accept(1, 0, NOW)); // reap at NOW
        assertTrue(window.accept(3, 0, NOW)); // 2 missing
        assertTrue(window.accept(4, 0, NOW + 15)); // reap: 3 is 15 s old, not more: nothing expires
        assertTrue(window.accept(2, 0, NOW + 18)); // 3 is 18 s old, but the next reap is due at NOW + 20
    }

    @Test
    void gapsExpireAtTheNextReap() {
        assertTrue(window.accept(1, 0, NOW));
        assertTrue(window.accept(3, 0, NOW));
        assertTrue(window.accept(4, 0, NOW + 15));
        assertFalse(window.accept(2, 0, NOW + 20));
    }

    /** Long form (tls-auth/tls-crypt): a newer time restarts the sequence, an older one is refused. */
    @Test
    void longFormTimeOrdering() {
        assertTrue(window.accept(5, 1000, NOW));
        assertFalse(window.accept(6, 999, NOW));
        assertTrue(window.accept(1, 1001, NOW)); // counter restarted by a new process
        assertFalse(window.accept(5, 1000, NOW));
        assertFalse(window.accept(1, 1001, NOW));
        assertTrue(window.accept(2, 1001, NOW));
    }

    @Test
    void smallerWindowsAreHonoured() {
        ReplayWindow w = new ReplayWindow(4, 15);
        assertTrue(w.accept(10, 0, NOW));
        assertTrue(w.accept(7, 0, NOW));
        assertFalse(w.accept(6, 0, NOW));
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(0, 15));
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(64, 601));
    }

    @Test
    void acceptsTheFullUnsignedRange() {
        assertTrue(window.accept(0xFFFFFFFEL, 0, NOW));
        assertTrue(window.accept(0xFFFFFFFFL, 0, NOW));
        assertFalse(window.accept(0xFFFFFFFFL, 0, NOW));
    }
}
