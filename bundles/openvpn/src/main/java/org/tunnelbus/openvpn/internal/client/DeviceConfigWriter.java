package org.tunnelbus.openvpn.internal.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.route.Prefix;

/**
 * Gives the client's TUN device the pushed address and routes by writing a device-tun factory configuration
 * ({@value #DEVICE_PID}, named after the client configuration) through Config Admin: the device module stays
 * the only owner of TUN devices, and the configuration is visible and editable like any other. It is written
 * only when it changes, so a reconnection that gets the same address does not recreate the device (stock's
 * {@code persist-tun}), and deleted when the client stops.
 */
final class DeviceConfigWriter {
    static final String DEVICE_PID = "org.tunnelbus.device.tun";
    private static final Logger LOG = LoggerFactory.getLogger(DeviceConfigWriter.class);

    private final String alias;

    /** @param alias the factory configuration's name, e.g. {@code client-office} */
    DeviceConfigWriter(String alias) {
        this.alias = alias;
    }

    /** The device properties for what was pushed (address with prefix length, pushed routes). */
    static Dictionary<String, Object> properties(String device, int mtu, TunnelConfig config) {
        Dictionary<String, Object> d = new Hashtable<>();
        d.put("name", device);
        d.put("mtu", mtu);
        d.put("addresses", config.address() == null ? new String[0] : new String[] {config.address()});
        List<String> routes = new ArrayList<>();
        for (Prefix p : config.routes()) {
            routes.add(p.toString());
        }
        d.put("routes", routes.toArray(String[]::new));
        return d;
    }

    /** Creates or updates the device configuration; logs and returns false if Config Admin fails. */
    boolean write(ConfigurationAdmin admin, Dictionary<String, Object> properties) {
        try {
            Configuration c = admin.getFactoryConfiguration(DEVICE_PID, alias, "?");
            if (same(c.getProperties(), properties)) {
                return true;
            }
            c.update(properties);
            LOG.info("Device configuration {}~{}: {} addresses {} routes {}", DEVICE_PID, alias, properties.get("name"),
                    List.of((String[]) properties.get("addresses")), List.of((String[]) properties.get("routes")));
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot write the device configuration {}~{}: {}", DEVICE_PID, alias, e.toString());
            return false;
        }
    }

    /** Deletes the device configuration (the device goes away with it). */
    void delete(ConfigurationAdmin admin) {
        try {
            Configuration c = admin.getFactoryConfiguration(DEVICE_PID, alias, "?");
            if (c.getProperties() != null) {
                c.delete();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot delete the device configuration {}~{}: {}", DEVICE_PID, alias, e.toString());
        }
    }

    private static boolean same(Dictionary<String, Object> current, Dictionary<String, Object> next) {
        if (current == null) {
            return false;
        }
        for (String k : List.of("name", "mtu", "addresses", "routes")) {
            Object a = current.get(k);
            Object b = next.get(k);
            boolean equal = a instanceof String[] x && b instanceof String[] y ? List.of(x).equals(List.of(y))
                    : Objects.equals(String.valueOf(a), String.valueOf(b));
            if (!equal) {
                return false;
            }
        }
        return true;
    }
}
