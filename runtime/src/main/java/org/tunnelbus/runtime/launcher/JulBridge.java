package org.tunnelbus.runtime.launcher;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * java.util.logging (used by SPI Fly and the JDK) through {@link LogPrinter}, one line per record, instead of
 * the JDK's two-line console format.
 */
final class JulBridge extends Handler {

    private final LogPrinter printer;
    private final Formatter formatter = new SimpleFormatter();

    private JulBridge(LogPrinter printer) {
        this.printer = printer;
    }

    /** Replaces the root logger's handlers, unless -Djava.util.logging.config.file was given. */
    static void install(LogPrinter printer) {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(new JulBridge(printer));
    }

    @Override
    public void publish(LogRecord r) {
        int v = r.getLevel().intValue();
        LogPrinter.Level level = v >= Level.SEVERE.intValue() ? LogPrinter.Level.ERROR
                : v >= Level.WARNING.intValue() ? LogPrinter.Level.WARN
                : v >= Level.INFO.intValue() ? LogPrinter.Level.INFO
                : v >= Level.FINE.intValue() ? LogPrinter.Level.DEBUG : LogPrinter.Level.TRACE;
        String source = r.getLoggerName() == null || r.getLoggerName().isEmpty() ? "jul" : r.getLoggerName();
        printer.log(r.getMillis(), level, source, formatter.formatMessage(r), r.getThrown());
    }

    @Override
    public void flush() {
        // LogPrinter writes through
    }

    @Override
    public void close() {
        // nothing held
    }
}
