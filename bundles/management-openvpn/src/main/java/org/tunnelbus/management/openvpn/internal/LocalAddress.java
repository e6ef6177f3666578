package org.tunnelbus.management.openvpn.internal;

/** The server's own tunnel address from a device's {@code addresses} property, for the state history. */
final class LocalAddress {
    private LocalAddress() {
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
