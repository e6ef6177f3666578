package org.tunnelbus.e2e.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command to its end, bounded in time; output is stdout and stderr together. */
public final class Cmd {
    /** The end of a command. */
    public record Result(List<String> command, int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }

        /** This result, or an {@link AssertionError} naming the command, its status and output. */
        public Result check() {
            if (exit != 0) {
                throw new AssertionError("command failed (exit " + exit + "): " + String.join(" ", command) + "\n" + output);
            }
            return this;
        }
    }

    private Cmd() {
    }

    public static Result run(Duration timeout, String... command) {
        return run(timeout, List.of(command));
    }

    public static Result run(Duration timeout, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // process gone
            }
        }, "cmd-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                reader.join(1000);
                throw new AssertionError("command did not end within " + timeout.toSeconds() + " s (killed pid " + p.pid()
                        + "): " + String.join(" ", command) + "\n" + out.toString(StandardCharsets.UTF_8));
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        }
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8);
        }
        return new Result(List.copyOf(command), p.exitValue(), text);
    }

    /**
     * Runs {@code command} with its stdout into {@code stdout} (a file) and returns its stderr as the output, e.g.
     * for a command that prints a document on stdout and notes on stderr.
     */
    public static Result runToFile(Duration timeout, java.nio.file.Path stdout, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdout.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getErrorStream()) {
                in.transferTo(err);
            } catch (IOException e) {
                // process gone
            }
        }, "cmd-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("command did not end within " + timeout.toSeconds() + " s (killed pid " + p.pid()
                        + "): " + String.join(" ", command));
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        }
        synchronized (err) {
            return new Result(List.copyOf(command), p.exitValue(), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** True if {@code name} is an executable on the PATH (or an absolute path to one). */
    public static boolean onPath(String name) {
        if (name.contains("/")) {
            return new java.io.File(name).canExecute();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && new java.io.File(dir, name).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
