package org.tunnelbus.openvpn.internal.occ;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares the peer's options string with the one we expect from it (§4; {@code options.c
 * options_cmp_equal_safe()}, {@code options_warning_safe_ml()}, {@code options_warning_safe_scan1/2()}).
 *
 * <p>Equal strings give no warnings. Otherwise both are turned into comma-separated items, each string
 * prefixed with an item {@code version V4} so a version difference shows; every expected item missing or
 * different on the peer's side is reported (different values as "inconsistent"), then every peer item we do
 * not have. Items about {@code key-method}, {@code keydir}, {@code proto}, {@code tls-auth},
 * {@code tun-ipv6} and {@code cipher} are never reported (stock stopped warning about them).
 */
public final class OccComparator {
    private OccComparator() {
    }

    /**
     * @param expected the string we expect ({@link OccStringBuilder#expectedRemote})
     * @param actual   the string the peer sent
     */
    public static List<OccWarning> compare(String expected, String actual) {
        List<OccWarning> warnings = new ArrayList<>();
        boolean skew = !prefix2(expected).equals(prefix2(actual));
        if (!skew && expected.equals(actual)) {
            return warnings;
        }
        if (skew) {
            warnings.add(new OccWarning(OccWarning.Kind.VERSION_SKEW, null, null, null));
        }
        List<String> local = items("version " + expected);
        List<String> remote = items("version " + actual);
        for (String item : local) {
            scan(item, remote, true, warnings);
        }
        for (String item : remote) {
            scan(item, local, false, warnings);
        }
        return warnings;
    }

    private static String prefix2(String s) {
        return s.length() >= 2 ? s.substring(0, 2) : s;
    }

    private static List<String> items(String s) {
        List<String> items = new ArrayList<>();
        for (String item : s.split(",")) {
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return items;
    }

    /** Looks for {@code item} (from the local list if {@code fromLocal}) among {@code others}. */
    private static void scan(String item, List<String> others, boolean fromLocal, List<OccWarning> out) {
        if (isIgnored(item)) {
            return;
        }
        String name = firstWord(item);
        for (String other : others) {
            if (other.equals(item)) {
                return;
            }
            if (firstWord(other).equals(name)) {
                if (fromLocal) {
                    out.add(new OccWarning(OccWarning.Kind.INCONSISTENT, name, item, other));
                }
                return;
            }
        }
        out.add(fromLocal ? new OccWarning(OccWarning.Kind.MISSING_REMOTE, name, item, null)
                : new OccWarning(OccWarning.Kind.MISSING_LOCAL, name, null, item));
    }

    private static boolean isIgnored(String item) {
        return item.startsWith("key-method ") || item.startsWith("keydir ") || item.startsWith("proto ")
                || item.equals("tls-auth") || item.startsWith("tun-ipv6") || item.startsWith("cipher ");
    }

    private static String firstWord(String item) {
        int sp = item.indexOf(' ');
        return sp < 0 ? item : item.substring(0, sp);
    }
}
