package org.tunnelbus.auth.userpass.internal;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Objects;

/** Strings fit for one log or error line. Free of SLF4J: the user command runs without it. */
final class LogSafe {
    private static final int MAX = 64;

    private LogSafe() {
    }

    /** A peer-chosen string: printable ASCII only, bounded length. */
    static String name(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX) + 3);
        for (int i = 0; i < s.length() && b.length() < MAX; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '\'' ? c : '?');
        }
        return s.length() > MAX ? b + "..." : b.toString();
    }

    /** Why a file operation failed, in a few words. */
    static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    }
}
