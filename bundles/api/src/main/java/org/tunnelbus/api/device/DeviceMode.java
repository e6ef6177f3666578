package org.tunnelbus.api.device;

/** Layer of a device: TUN carries IP packets, TAP carries Ethernet frames. */
public enum DeviceMode {
    TUN, TAP
}
