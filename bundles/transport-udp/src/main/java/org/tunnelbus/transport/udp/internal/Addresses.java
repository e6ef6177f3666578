package org.tunnelbus.transport.udp.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Formatting for log lines and error messages: {@code 0.0.0.0:1194}, {@code [::1]:1194}, lower-case reasons. */
final class Addresses {
    private Addresses() {
    }

    /** {@code host:port}, IPv6 in brackets and in its short form (RFC 5952), never a DNS lookup. */
    static String format(InetSocketAddress a) {
        if (a == null) {
            return "(none)";
        }
        InetAddress addr = a.getAddress();
        if (addr == null) {
            return a.getHostString() + ":" + a.getPort();
        }
        if (addr instanceof Inet6Address v6) {
            return "[" + shortForm(v6) + "]:" + a.getPort();
        }
        return addr.getHostAddress() + ":" + a.getPort();
    }

    private static String shortForm(Inet6Address v6) {
        byte[] b = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLen = 1; // a single zero group is not shortened (RFC 5952 4.2.2)
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        if (v6.getScopeId() != 0 || v6.getScopedInterface() != null) {
            sb.append('%').append(v6.getScopedInterface() != null ? v6.getScopedInterface().getName() : v6.getScopeId());
        }
        return sb.toString();
    }

    /** The reason of an I/O error as a log-line tail: "address already in use", "network is unreachable". */
    static String reason(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        if (m.length() > 1 && Character.isUpperCase(m.charAt(0)) && Character.isLowerCase(m.charAt(1))) {
            m = Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }
        return m;
    }

    /** True for the kernel's EMSGSIZE ("Message too long"). */
    static boolean isMessageTooLong(IOException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("message too long");
    }
}
