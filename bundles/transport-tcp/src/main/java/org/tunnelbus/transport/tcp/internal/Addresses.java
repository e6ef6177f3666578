package org.tunnelbus.transport.tcp.internal;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** Log-line formatting: {@code 10.0.0.1:1194}, {@code [::1]:1194}, lower-case error reasons; never a DNS lookup. */
final class Addresses {
    private Addresses() {
    }

    static String format(InetSocketAddress a) {
        if (a == null) {
            return "(none)";
        }
        if (a.getAddress() == null) {
            return a.getHostString() + ":" + a.getPort();
        }
        String host = a.getAddress().getHostAddress();
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** The reason of an I/O error as a log-line tail: "connection reset", "address already in use". */
    static String reason(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return m.length() > 1 && Character.isUpperCase(m.charAt(0)) && Character.isLowerCase(m.charAt(1))
                ? Character.toLowerCase(m.charAt(0)) + m.substring(1) : m;
    }
}
