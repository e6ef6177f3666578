package org.tunnelbus.device.tun.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.tunnelbus.api.device.DeviceMode;

/**
 * One validated configuration of a TUN/TAP device. {@link #parse} refuses a bad value with a
 * {@link ConfigException} naming the property; nothing here touches the system and no host name is
 * ever resolved (addresses are literals only).
 *
 * <p>Properties that need the device to be opened again are {@link #needsReopen compared}; the others
 * (MTU, txqueuelen, MAC, addresses, routes, coalesce) are applied live.
 */
record DeviceConfig(String name, DeviceMode mode, int mtu, int txqueuelen, int queues, boolean offload,
                    List<IfAddress> addresses, List<Route> routes, String netns, int batchSize, String mac, boolean coalesce) {

    static final String NAME = "name";
    static final String MODE = "mode";
    static final String MTU = "mtu";
    static final String TXQUEUELEN = "txqueuelen";
    static final String QUEUES = "queues";
    static final String OFFLOAD = "offload";
    static final String ADDRESSES = "addresses";
    static final String ROUTES = "routes";
    static final String NETNS = "netns";
    static final String BATCH_SIZE = "batch.size";
    static final String MAC = "mac";
    static final String COALESCE = "coalesce";

    static final int MIN_MTU = 68;
    static final int MAX_MTU = 65535;
    static final int IPV6_MIN_MTU = 1280;
    static final int MAX_QUEUES = 64;
    static final int MAX_BATCH = 1024;
    static final int MAX_TXQUEUELEN = 1_000_000;

    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,15}|[A-Za-z0-9_.\\-]{0,13}%d[A-Za-z0-9_.\\-]{0,11}");
    private static final Pattern NETNS_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final Pattern MAC_ADDR = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    /** An address of the interface with its prefix length, e.g. {@code 10.8.0.1/24} (host bits kept). */
    record IfAddress(InetAddress address, int prefixLength) {
        boolean ipv6() {
            return address instanceof Inet6Address;
        }

        /** As {@code ip} takes it; IPv6 in its short form (RFC 5952). */
        String cidr() {
            return text(address) + "/" + prefixLength;
        }

        @Override
        public String toString() {
            return cidr();
        }
    }

    /** A route into the device: {@code prefix [via gateway] [metric n]}. */
    record Route(InetAddress network, int prefixLength, InetAddress via, int metric) {
        boolean ipv6() {
            return network instanceof Inet6Address;
        }

        String prefix() {
            return text(network) + "/" + prefixLength;
        }

        /** The arguments after {@code ip route add|del}, one word each. */
        List<String> ipArguments(String device) {
            List<String> a = new ArrayList<>(List.of(prefix(), "dev", device));
            if (via != null) {
                a.add("via");
                a.add(text(via));
            }
            if (metric >= 0) {
                a.add("metric");
                a.add(Integer.toString(metric));
            }
            return a;
        }

        @Override
        public String toString() {
            return prefix() + (via == null ? "" : " via " + text(via)) + (metric < 0 ? "" : " metric " + metric);
        }
    }

    /** An address as text: IPv4 dotted, IPv6 with the longest run of zero groups as {@code ::} (RFC 5952). */
    static String text(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        int bestAt = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestAt = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestAt) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    DeviceConfig {
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
    }

    /**
     * Validates a configuration dictionary (Config Admin types: String, Number, Boolean, arrays and
     * collections; strings are accepted for every type, as {@code .cfg} files deliver them).
     *
     * @throws ConfigException naming the first refused property
     */
    static DeviceConfig parse(Map<String, ?> p) {
        String name = string(p, NAME, "tb%d");
        if (!IFNAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new ConfigException(NAME, "'" + name + "' is not an interface name (1-15 of [A-Za-z0-9_.-], at most one %d)");
        }
        String modeText = string(p, MODE, "TUN");
        DeviceMode mode;
        try {
            mode = DeviceMode.valueOf(modeText.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(MODE, "unknown mode '" + modeText + "' (expected TUN or TAP)");
        }
        int mtu = integer(p, MTU, 1500, MIN_MTU, MAX_MTU);
        int txqueuelen = integer(p, TXQUEUELEN, 1000, 0, MAX_TXQUEUELEN);
        int queues = integer(p, QUEUES, 1, 1, MAX_QUEUES);
        boolean offload = bool(p, OFFLOAD, false);
        boolean coalesce = bool(p, COALESCE, true);
        int batch = integer(p, BATCH_SIZE, 64, 1, MAX_BATCH);
        String netns = string(p, NETNS, "").trim();
        if (!netns.isEmpty() && (!NETNS_NAME.matcher(netns).matches() || netns.equals(".") || netns.equals(".."))) {
            throw new ConfigException(NETNS, "'" + netns + "' is not a network namespace name (1-64 of [A-Za-z0-9_.-])");
        }
        String mac = string(p, MAC, "").trim();
        if (!mac.isEmpty()) {
            if (mode != DeviceMode.TAP) {
                throw new ConfigException(MAC, "a MAC address needs mode TAP");
            }
            if (!MAC_ADDR.matcher(mac).matches() || (Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
                throw new ConfigException(MAC, "'" + mac + "' is not a unicast MAC address (aa:bb:cc:dd:ee:ff)");
            }
        }
        List<IfAddress> addresses = new ArrayList<>();
        for (String a : strings(p, ADDRESSES)) {
            IfAddress ia = parseAddress(a);
            if (addresses.contains(ia)) {
                throw new ConfigException(ADDRESSES, "'" + a + "' is listed twice");
            }
            addresses.add(ia);
        }
        if (mtu < IPV6_MIN_MTU && addresses.stream().anyMatch(IfAddress::ipv6)) {
            throw new ConfigException(MTU, mtu + " is below " + IPV6_MIN_MTU + ", the IPv6 minimum, and 'addresses' has IPv6 addresses");
        }
        List<Route> routes = new ArrayList<>();
        for (String r : strings(p, ROUTES)) {
            Route route = parseRoute(r);
            if (routes.stream().anyMatch(x -> x.network().equals(route.network()) && x.prefixLength() == route.prefixLength() && x.metric() == route.metric())) {
                throw new ConfigException(ROUTES, "'" + r + "' is listed twice");
            }
            routes.add(route);
        }
        return new DeviceConfig(name, mode, mtu, txqueuelen, queues, offload, addresses, routes, netns, batch, mac, coalesce);
    }

    /** True when going from this configuration to {@code next} needs the device closed and opened again. */
    boolean needsReopen(DeviceConfig next) {
        return !name.equals(next.name) || mode != next.mode || queues != next.queues || offload != next.offload
                || !netns.equals(next.netns) || batchSize != next.batchSize;
    }

    /** True when {@code next} is another kernel device for the bus (name, layer or packet format differ). */
    boolean changesIdentity(DeviceConfig next) {
        return !name.equals(next.name) || mode != next.mode || offload != next.offload || !netns.equals(next.netns);
    }

    static IfAddress parseAddress(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        if (slash < 0) {
            throw new ConfigException(ADDRESSES, "'" + text + "' has no prefix length (e.g. 10.8.0.1/24 or fd00::1/64)");
        }
        InetAddress a = literal(ADDRESSES, text, t.substring(0, slash));
        int len = prefixLength(ADDRESSES, text, t.substring(slash + 1), a);
        if (a.isMulticastAddress() || a.isAnyLocalAddress()) {
            throw new ConfigException(ADDRESSES, "'" + text + "' is not a unicast address");
        }
        return new IfAddress(a, len);
    }

    static Route parseRoute(String text) {
        String[] w = text.trim().split("\\s+");
        if (w.length == 0 || w[0].isEmpty()) {
            throw new ConfigException(ROUTES, "empty route");
        }
        int slash = w[0].indexOf('/');
        InetAddress net = literal(ROUTES, text, slash < 0 ? w[0] : w[0].substring(0, slash));
        int len = slash < 0 ? net.getAddress().length * 8 : prefixLength(ROUTES, text, w[0].substring(slash + 1), net);
        byte[] b = net.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, len - i * 8));
            b[i] &= (byte) (0xff00 >>> keep);
        }
        try {
            net = InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new ConfigException(ROUTES, "'" + text + "': " + e.getMessage());
        }
        InetAddress via = null;
        int metric = -1;
        for (int i = 1; i < w.length; i += 2) {
            if (i + 1 >= w.length) {
                throw new ConfigException(ROUTES, "'" + text + "': '" + w[i] + "' needs a value (format: prefix [via address] [metric n])");
            }
            switch (w[i]) {
                case "via" -> {
                    via = literal(ROUTES, text, w[i + 1]);
                    if (via.getClass() != net.getClass()) {
                        throw new ConfigException(ROUTES, "'" + text + "': gateway and prefix are of different families");
                    }
                }
                case "metric" -> {
                    try {
                        metric = Integer.parseInt(w[i + 1]);
                    } catch (NumberFormatException e) {
                        metric = -2;
                    }
                    if (metric < 0) {
                        throw new ConfigException(ROUTES, "'" + text + "': metric '" + w[i + 1] + "' is not a number 0.." + Integer.MAX_VALUE);
                    }
                }
                default -> throw new ConfigException(ROUTES, "'" + text + "': unknown word '" + w[i] + "' (format: prefix [via address] [metric n])");
            }
        }
        return new Route(net, len, via, metric);
    }

    private static InetAddress literal(String property, String text, String addr) {
        boolean v4 = IPV4.matcher(addr).matches();
        if (!v4 && !IPV6.matcher(addr).matches()) {
            throw new ConfigException(property, "'" + text + "': '" + addr + "' is not an IPv4 or IPv6 address");
        }
        try {
            InetAddress a = InetAddress.getByName(addr); // a literal: never resolved
            if (v4 != (a instanceof Inet4Address)) {
                throw new UnknownHostException(addr);
            }
            return a;
        } catch (UnknownHostException e) {
            throw new ConfigException(property, "'" + text + "': '" + addr + "' is not an IPv4 or IPv6 address");
        }
    }

    private static int prefixLength(String property, String text, String len, InetAddress a) {
        int max = a.getAddress().length * 8;
        try {
            int n = Integer.parseInt(len);
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ConfigException(property, "'" + text + "': prefix length '" + len + "' is not in 0.." + max);
    }

    private static String string(Map<String, ?> p, String key, String dflt) {
        Object v = p.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String[] a) {
            v = a.length == 0 ? dflt : a[0];
        }
        String s = v.toString();
        return s.isBlank() && !dflt.isEmpty() ? dflt : s;
    }

    private static int integer(Map<String, ?> p, String key, int dflt, int min, int max) {
        Object v = p.get(key);
        long n;
        if (v == null || (v instanceof String s && s.isBlank())) {
            return dflt;
        } else if (v instanceof Number num) {
            n = num.longValue();
            if (num.doubleValue() != n) {
                throw new ConfigException(key, "'" + v + "' is not a whole number");
            }
        } else {
            try {
                n = Long.parseLong(v.toString().trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(key, "'" + v + "' is not a number");
            }
        }
        if (n < min || n > max) {
            throw new ConfigException(key, n + " is out of range " + min + ".." + max);
        }
        return (int) n;
    }

    private static boolean bool(Map<String, ?> p, String key, boolean dflt) {
        Object v = p.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0", "" -> false;
            default -> throw new ConfigException(key, "'" + v + "' is not true or false");
        };
    }

    /** A multi-valued property: an array, a collection, or one string with comma-separated values. */
    private static List<String> strings(Map<String, ?> p, String key) {
        Object v = p.get(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v instanceof Object[] a) {
            for (Object o : a) {
                add(out, o);
            }
        } else if (v instanceof Collection<?> c) {
            for (Object o : c) {
                add(out, o);
            }
        } else {
            for (String s : v.toString().split(",")) {
                add(out, s);
            }
        }
        return out;
    }

    private static void add(List<String> out, Object o) {
        if (o != null && !o.toString().isBlank()) {
            out.add(o.toString().trim());
        }
    }
}
