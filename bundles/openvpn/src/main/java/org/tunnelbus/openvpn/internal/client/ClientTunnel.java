package org.tunnelbus.openvpn.internal.client;

import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.route.Prefix;
import org.tunnelbus.api.route.RouteTable;
import org.tunnelbus.api.session.Session;

/**
 * What a client connection changes around it while its tunnel is up: the route table sends everything the device
 * hands us (the kernel routes only the tunnel's traffic into it) to the session, and the TUN device gets the pushed
 * address and routes through its Config Admin configuration ({@link DeviceConfigWriter}). Used on the connector's
 * control thread.
 */
final class ClientTunnel {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTunnel.class);
    private static final Prefix DEFAULT_ROUTE = Prefix.parse("0.0.0.0/0");

    private final RouteTable routes;
    private final String pid;
    private final DeviceConfigWriter device;
    private boolean deviceWritten;

    /** @param pid the client configuration; its device configuration is named {@code client-office} for {@code ~office} */
    ClientTunnel(RouteTable routes, String pid) {
        this.routes = routes;
        this.pid = pid;
        int tilde = pid.indexOf('~');
        this.device = new DeviceConfigWriter(tilde < 0 ? "client" : "client-" + pid.substring(tilde + 1));
    }

    /** The tunnel came up: routes to the session, the device configured. */
    void up(Session session, TunnelConfig config, ClientSettings settings, ConfigurationAdmin admin) {
        routes.add(DEFAULT_ROUTE, session);
        if (config != null && config.address() != null) {
            routes.add(Prefix.parse(config.address()), session);
        }
        configure(config, settings, admin);
    }

    /** The pushed configuration changed while up (PUSH_UPDATE). */
    void configure(TunnelConfig config, ClientSettings settings, ConfigurationAdmin admin) {
        String deviceName = settings.device();
        if (deviceName.isEmpty() || config == null) {
            return;
        }
        if (admin == null) {
            LOG.warn("OpenVPN client {}: no Config Admin; configure device '{}' with address {} yourself", pid,
                    deviceName, config.address());
            return;
        }
        deviceWritten |= device.write(admin, DeviceConfigWriter.properties(deviceName, settings.deviceMtu(), config));
    }

    /** The connection is over: the session's routes go (the device stays configured for the next one). */
    void down(Session session) {
        routes.removeAll(session);
    }

    /** The client stops: the device configuration goes too. */
    void remove(ConfigurationAdmin admin) {
        if (deviceWritten && admin != null) {
            device.delete(admin);
            deviceWritten = false;
        }
    }
}
