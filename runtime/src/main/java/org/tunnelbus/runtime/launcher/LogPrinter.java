package org.tunnelbus.runtime.launcher;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.Instant;
import java.util.Locale;

/**
 * Prints log entries as one line each: {@code TIME LEVEL SOURCE - MESSAGE[: EXCEPTION]}, the same shape
 * slf4j-simple is configured to print (see {@link Main#configureSlf4jSimple()}), so that the framework's,
 * the OSGi Log Service's and slf4j's lines read alike on stderr.
 */
final class LogPrinter {

    enum Level { ERROR, WARN, INFO, DEBUG, TRACE }

    static final String TIME_PATTERN = "yyyy-MM-dd HH:mm:ss.SSS";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern(TIME_PATTERN, Locale.ROOT);

    private final PrintStream out;
    private final Level threshold;
    private final boolean stackTraces;

    LogPrinter(PrintStream out, Level threshold, boolean stackTraces) {
        this.out = out;
        this.threshold = threshold;
        this.stackTraces = stackTraces;
    }

    static Level parseLevel(String s, Level dflt) {
        if (s == null || s.isBlank()) {
            return dflt;
        }
        String v = s.trim().toUpperCase(Locale.ROOT);
        if (v.equals("WARNING")) {
            return Level.WARN;
        }
        try {
            return Level.valueOf(v);
        } catch (IllegalArgumentException e) {
            return dflt;
        }
    }

    boolean enabled(Level level) {
        return level.ordinal() <= threshold.ordinal();
    }

    void log(long time, Level level, String source, String message, Throwable t) {
        if (!enabled(level)) {
            return;
        }
        StringBuilder sb = new StringBuilder(160);
        sb.append(TIME.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(time), ZoneId.systemDefault())))
          .append(' ').append(level.name())
          .append(' ').append(source)
          .append(" - ").append(oneLine(message));
        if (t != null) {
            sb.append(": ").append(describe(t));
        }
        synchronized (out) {
            out.println(sb);
            if (t != null && stackTraces) {
                t.printStackTrace(out);
            }
        }
    }

    void log(Level level, String source, String message) {
        log(System.currentTimeMillis(), level, source, message, null);
    }

    /** The exception and its causes on one line: {@code Type: message <- CauseType: message}. */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (Throwable c = t; c != null && depth < 5; c = c.getCause(), depth++) {
            if (depth > 0) {
                sb.append(" <- ");
            }
            sb.append(c.getClass().getName());
            if (c.getMessage() != null) {
                sb.append(": ").append(oneLine(c.getMessage()));
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        return s.strip().replace("\r\n", " | ").replace('\n', ' ').replace('\r', ' ');
    }
}
