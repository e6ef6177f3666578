package org.tunnelbus.management.openvpn.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Supplier;

import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * The OSGi Log Service's entries as the management interface's log history ({@code log all}, {@code >LOG:}),
 * with stock's flags: {@code N} for errors (non-fatal), {@code W} warnings, {@code I} information, {@code D} debug.
 */
final class LogFeed implements LogListener {
    private final Supplier<History> history;
    private volatile LogReaderService reader;

    LogFeed(Supplier<History> history) {
        this.history = history;
    }

    /** Takes the reader's recent entries into the history and follows new ones. */
    synchronized void attach(LogReaderService r) {
        detach();
        reader = r;
        @SuppressWarnings("unchecked")
        List<LogEntry> recent = Collections.list((Enumeration<LogEntry>) r.getLog());
        List<LogEntry> oldestFirst = new ArrayList<>(recent);
        Collections.reverse(oldestFirst);
        oldestFirst.forEach(this::logged);
        r.addLogListener(this);
    }

    synchronized void detach() {
        LogReaderService r = reader;
        reader = null;
        if (r != null) {
            try {
                r.removeLogListener(this);
            } catch (IllegalStateException e) {
                // the log service is going away already
            }
        }
    }

    @Override
    public void logged(LogEntry e) {
        if (e.getLoggerName() != null && e.getLoggerName().startsWith("Events.")
                && e.getLogLevel().implies(org.osgi.service.log.LogLevel.INFO)) {
            return; // the framework's bundle and service events: noise, as the launcher's log shows them too
        }
        String source = e.getBundle() == null ? "framework" : e.getBundle().getSymbolicName();
        String text = flag(e) + "," + source + ": " + oneLine(e.getMessage());
        history.get().add(new History.Entry(e.getTime() / 1000, text));
    }

    private static String flag(LogEntry e) {
        return switch (e.getLogLevel()) {
            case AUDIT, ERROR -> "N";
            case WARN -> "W";
            case INFO -> "I";
            default -> "D";
        };
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\r', ' ').replace('\n', ' ');
    }
}
