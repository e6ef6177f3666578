package org.tunnelbus.device.tun.internal;

/**
 * Configures a kernel network interface: link attributes, addresses, routes. One implementation
 * ({@link IpCommandConfigurator}); a netlink one could replace it without touching the device.
 *
 * <p>Every method throws {@link ConfigureException} with the system's own message when the kernel
 * refuses; none of them ever goes through a shell.
 */
interface InterfaceConfigurator {

    /** An interface in a network namespace ({@code netns} empty: the namespace of this process). */
    record Link(String netns, String name) {
        @Override
        public String toString() {
            return netns.isEmpty() ? name : name + " (netns " + netns + ")";
        }
    }

    void setMtu(Link link, int mtu);

    void setTxQueueLen(Link link, int txqueuelen);

    void setMac(Link link, String mac);

    void setUp(Link link);

    void addAddress(Link link, DeviceConfig.IfAddress address);

    void removeAddress(Link link, DeviceConfig.IfAddress address);

    void addRoute(Link link, DeviceConfig.Route route);

    void removeRoute(Link link, DeviceConfig.Route route);

    /** True while the interface exists. */
    boolean exists(Link link);

    /** A configuration step failed; the message carries the command and what the system said. */
    final class ConfigureException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConfigureException(String message) {
            super(message);
        }
    }
}
