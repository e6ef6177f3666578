package org.tunnelbus.core.internal.bus;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Captures what slf4j-simple writes to System.err while open (it looks System.err up on every line). */
final class LogCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    LogCapture() {
        System.setErr(new PrintStream(new TeeStream(), true, StandardCharsets.UTF_8));
    }

    private final class TeeStream extends java.io.OutputStream {
        @Override
        public void write(int b) {
            synchronized (bytes) {
                bytes.write(b);
            }
            original.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (bytes) {
                bytes.write(b, off, len);
            }
            original.write(b, off, len);
        }
    }

    List<String> lines() {
        synchronized (bytes) {
            return Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\n"));
        }
    }

    /** Lines containing every one of {@code parts}. */
    List<String> lines(String... parts) {
        return lines().stream().filter(l -> Arrays.stream(parts).allMatch(l::contains)).toList();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
