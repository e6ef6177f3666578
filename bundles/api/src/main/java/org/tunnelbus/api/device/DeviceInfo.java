package org.tunnelbus.api.device;

/**
 * Facts about an open device.
 *
 * @param name    kernel interface name, e.g. {@code tun0}
 * @param mode    TUN or TAP
 * @param mtu     the interface MTU
 * @param queues  number of queues (readers)
 * @param offload true when reads may return GSO super-packets with a virtio-net header in front
 */
public record DeviceInfo(String name, DeviceMode mode, int mtu, int queues, boolean offload) {
}
