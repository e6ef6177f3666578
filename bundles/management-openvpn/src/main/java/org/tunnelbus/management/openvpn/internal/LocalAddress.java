package org.tunnelbus.management.openvpn.internal;

import java.io.IOException;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Where this server is, for the state history: its tunnel address (the first IPv4 address of a TUN device's
 * {@code addresses} configuration) and the listeners whose {@code listen}/{@code port} it reports.
 */
final class LocalAddress {
    /** The service property of a TUN device that names its configuration (device-tun's). */
    static final String DEVICE_PID = "tunnelbus.device.pid";
    /** The factory PID of the OpenVPN server listeners (their service properties carry listen and port). */
    static final String LISTENER_FACTORY_PID = "org.tunnelbus.openvpn.server";

    private LocalAddress() {
    }

    /** The first IPv4 address in the configuration {@code pid}'s {@code addresses}, or "". */
    static String tunnel(ConfigurationAdmin admin, Object pid) {
        if (pid == null) {
            return "";
        }
        try {
            Configuration[] c = admin.listConfigurations("(service.pid=" + pid + ")");
            return c == null || c.length == 0 || c[0].getProperties() == null ? ""
                    : firstIpv4(c[0].getProperties().get("addresses"));
        } catch (IOException | InvalidSyntaxException e) {
            return "";
        }
    }

    static String firstIpv4(Object addresses) {
        Object[] values = addresses instanceof Object[] a ? a : addresses == null ? new Object[0]
                : addresses.toString().split(",");
        for (Object v : values) {
            String s = v.toString().trim();
            int slash = s.indexOf('/');
            String ip = slash < 0 ? s : s.substring(0, slash);
            if (ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                return ip;
            }
        }
        return "";
    }
}
