package org.tunnelbus.api.pipeline;

/**
 * The two chains of the bus. Names follow the design picture: OUTGOING runs from the local TUN/TAP device
 * towards a remote host, INCOMING from a remote host towards the device (or on to another remote).
 */
public enum Direction {
    OUTGOING("outgoing"),
    INCOMING("incoming");

    private final String key;

    Direction(String key) {
        this.key = key;
    }

    /** The value used in service properties and configuration ({@code outgoing}, {@code incoming}). */
    public String key() {
        return key;
    }

    /** Parses a property value; case-insensitive. */
    public static Direction of(String value) {
        for (Direction d : values()) {
            if (d.key.equalsIgnoreCase(value.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown direction '" + value + "' (expected outgoing or incoming)");
    }
}
