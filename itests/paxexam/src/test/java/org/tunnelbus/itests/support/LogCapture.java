package org.tunnelbus.itests.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Collects the lines written to {@code System.err} while it is open, passing them through. The distribution logs
 * through slf4j-simple to System.err (the launcher's setup, see {@link TunnelbusOptions}), which looks the stream
 * up on every line, so the Tunnelbus bundles' log lines (the bus's WARN of a required stage without provider)
 * land here. {@code ItestSupport.captureLogs()} adds the OSGi log's warnings and errors (SCR, FileInstall, ...),
 * which the launcher prints to System.err too.
 */
public final class LogCapture implements AutoCloseable {
    private final PrintStream original;
    private final PrintStream tee;
    private final List<String> lines = new ArrayList<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    private LogCapture() {
        original = System.err;
        tee = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                take(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                take(b, off, len);
            }

            @Override
            public void flush() {
                original.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }

    public static LogCapture start() {
        LogCapture c = new LogCapture();
        System.setErr(c.tee);
        return c;
    }

    private synchronized void take(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                lines.add(partial.toString(StandardCharsets.UTF_8).stripTrailing());
                partial.reset();
            } else {
                partial.write(b[i]);
            }
        }
    }

    /** Adds a line from another source (the OSGi log). */
    public synchronized void add(String line) {
        lines.add(line);
    }

    /** Every complete line so far. */
    public synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** Lines matching {@code p}. */
    public List<String> lines(Predicate<String> p) {
        List<String> out = new ArrayList<>();
        for (String l : lines()) {
            if (p.test(l)) {
                out.add(l);
            }
        }
        return out;
    }

    /** True for a slf4j-simple line at WARN or ERROR ("... WARN logger - message"). */
    public static boolean isWarnOrError(String line) {
        return line.contains(" WARN ") || line.contains(" ERROR ");
    }

    @Override
    public void close() {
        if (System.err == tee) {
            System.setErr(original);
        }
        tee.flush();
    }
}
