package org.tunnelbus.importer.internal;

/**
 * The configuration files an import writes: a server's are named as the distribution's defaults are (they replace
 * them); a client's is one factory configuration named after the imported file.
 */
final class Pids {
    private Pids() {
    }

    static final String LISTENER = "org.tunnelbus.openvpn.server-default.cfg";
    static final String HANDSHAKE = "org.tunnelbus.handshake.cfg";
    static final String DEVICE = "org.tunnelbus.device.tun-server.cfg";
    static final String AUTH = "org.tunnelbus.auth.cert.cfg";
    static final String ROUTING = "org.tunnelbus.route.ip.cfg";

    static final String LISTENER_HEADER = "The OpenVPN listener (factory PID org.tunnelbus.openvpn.server)";
    static final String HANDSHAKE_HEADER = "What the server pushes: tunnel network, ciphers, keepalive, options (PID org.tunnelbus.handshake)";
    static final String DEVICE_HEADER = "The server's TUN/TAP device (factory PID org.tunnelbus.device.tun)";
    static final String AUTH_HEADER = "Client certificate checks (PID org.tunnelbus.auth.cert)";
    static final String ROUTING_HEADER = "Routing between sessions (PID org.tunnelbus.route.ip)";

    /** The packet bus: the one default file a client home gets (tunnelbus.defaults of features/client.bndrun). */
    static final String CORE_BUS = "org.tunnelbus.core.bus.cfg";
    /** The profile of a client home (DIST/etc/client.bndrun), written to HOME/profile. */
    static final String CLIENT_PROFILE = "client";
    /** The file of a home that names its profile (the launcher reads it). */
    static final String PROFILE_FILE = "profile";
    static final String CLIENT_HEADER = "An OpenVPN client connection (factory PID org.tunnelbus.openvpn.client); see docs/client.md";

    /** The client connection's file, e.g. org.tunnelbus.openvpn.client-alice.cfg for alice.ovpn. */
    static String client(String name) {
        return "org.tunnelbus.openvpn.client-" + name + ".cfg";
    }
}
