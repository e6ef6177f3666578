package org.tunnelbus.auth.userpass.internal;

/** A peer-chosen string made fit for one log line: printable ASCII only, bounded length. */
final class LogSafe {
    private static final int MAX = 64;

    private LogSafe() {
    }

    static String name(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX) + 3);
        for (int i = 0; i < s.length() && b.length() < MAX; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '\'' ? c : '?');
        }
        return s.length() > MAX ? b + "..." : b.toString();
    }
}
