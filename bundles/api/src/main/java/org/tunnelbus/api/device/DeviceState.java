package org.tunnelbus.api.device;

/** What a device reports to its parent as it lives. */
public enum DeviceState {
    /** Open and configured: packets flow. */
    UP,
    /** The kernel interface went away underneath (e.g. {@code ip link del}); reads and writes stopped. */
    LOST,
    /** Closed by its owner. */
    CLOSED
}
