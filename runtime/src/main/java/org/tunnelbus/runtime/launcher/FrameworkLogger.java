package org.tunnelbus.runtime.launcher;

import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * The Felix framework's own log (resolver errors, bundle start failures) through {@link LogPrinter}
 * instead of Felix's "ERROR: ..." lines on stdout. Installed with the framework property
 * {@code felix.log.logger}; Felix filters by {@code felix.log.level} before calling us.
 */
final class FrameworkLogger extends Logger {

    private final LogPrinter printer;

    FrameworkLogger(LogPrinter printer) {
        this.printer = printer;
    }

    @Override
    protected void doLog(Bundle bundle, @SuppressWarnings("rawtypes") ServiceReference sr, int level, String msg, Throwable throwable) {
        String source = bundle != null && bundle.getSymbolicName() != null ? bundle.getSymbolicName() : "org.apache.felix.framework";
        printer.log(System.currentTimeMillis(), toLevel(level), source, msg, throwable);
    }

    @Override
    protected void doLog(int level, String msg, Throwable throwable) {
        printer.log(System.currentTimeMillis(), toLevel(level), "org.apache.felix.framework", msg, throwable);
    }

    private static LogPrinter.Level toLevel(int level) {
        switch (level) {
            case LOG_ERROR: return LogPrinter.Level.ERROR;
            case LOG_WARNING: return LogPrinter.Level.WARN;
            case LOG_INFO: return LogPrinter.Level.INFO;
            default: return LogPrinter.Level.DEBUG;
        }
    }
}
