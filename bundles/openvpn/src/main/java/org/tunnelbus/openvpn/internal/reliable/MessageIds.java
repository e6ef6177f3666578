package org.tunnelbus.openvpn.internal.reliable;

/**
 * Arithmetic on 32-bit message ids that may wrap (§2.2; {@code reliable.c subtract_pid()},
 * {@code reliable_pid_in_range1()}, {@code reliable_pid_min()}). Ids are unsigned values in a long.
 */
final class MessageIds {
    static final long MASK = 0xFFFFFFFFL;

    private MessageIds() {
    }

    /** {@code later - earlier} modulo 2^32. */
    static long distance(long earlier, long later) {
        return (later - earlier) & MASK;
    }

    /** Whether {@code earlier <= id < earlier + extent}, allowing for wraparound. */
    static boolean inRange(long id, long earlier, int extent) {
        return distance(earlier, id) < extent;
    }

    /** Whether {@code a} comes before {@code b} (within half the id space). */
    static boolean before(long a, long b) {
        return a != b && distance(a, b) < 0x80000000L;
    }

    static long next(long id) {
        return (id + 1) & MASK;
    }
}
