package org.tunnelbus.itests.traffic;

/**
 * The layout of a test packet (32 bytes), shared with the test stage bundles (itests/stages):
 *
 * <pre>
 *  0..3   flow id (int)            12  stamp of slot itest-swap    ('A' or 'B')
 *  4..11  sequence number (long)   13  stamp of slot itest-upgrade ('1' or '2': the bundle's major version)
 *                                  14  stamp of slot itest-guard   ('G')
 *                                  15  trail length n;  16..16+n-1: the ids of the stages that ran, in order
 * </pre>
 */
public final class Payload {
    public static final int FLOW_AT = 0;
    public static final int SEQ_AT = 4;
    public static final int SWAP_AT = 12;
    public static final int UPGRADE_AT = 13;
    public static final int GUARD_AT = 14;
    public static final int TRAIL_LENGTH_AT = 15;
    public static final int TRAIL_AT = 16;
    public static final int LENGTH = 32;
    /** Stamp slots, in the order of {@link #SWAP_AT}, {@link #UPGRADE_AT}, {@link #GUARD_AT}. */
    public static final int SLOTS = 3;
    public static final String[] SLOT_NAMES = {"itest-swap", "itest-upgrade", "itest-guard"};

    private Payload() {
    }

    /** Index of a stamp slot by name. */
    public static int slot(String name) {
        for (int i = 0; i < SLOT_NAMES.length; i++) {
            if (SLOT_NAMES[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** A trail packed into a long (at most 8 stage ids, first in the lowest byte) as text: "A1G", "" for none. */
    public static String trail(long packed) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            int c = (int) (packed >>> (8 * i)) & 0xff;
            if (c == 0) {
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}
