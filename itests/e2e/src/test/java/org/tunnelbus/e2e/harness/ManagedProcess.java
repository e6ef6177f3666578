package org.tunnelbus.e2e.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A long-running process the test started (server, client, ping, iperf3 server): its output (stdout and stderr
 * merged) is captured line by line, in memory and in a log file, and can be waited for with
 * {@link #waitForLine}. {@link #close()} stops it <em>by its PID</em>: SIGTERM to it and to its descendants, a
 * bounded wait, then SIGKILL — never by name.
 */
public final class ManagedProcess implements AutoCloseable {
    private final String label;
    private final List<String> command;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Writer log;
    private final Path logFile;
    private final Thread reader;

    private ManagedProcess(String label, List<String> command, Process process, Path logFile) throws IOException {
        this.label = label;
        this.command = command;
        this.process = process;
        this.logFile = logFile;
        Files.createDirectories(logFile.getParent());
        this.log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        this.reader = new Thread(this::pump, "out-" + label);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts {@code command}; its output goes to {@code logFile} too. */
    public static ManagedProcess start(String label, Path logFile, List<String> command) {
        return start(label, logFile, command, null);
    }

    public static ManagedProcess start(String label, Path logFile, List<String> command, java.util.Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (env != null) {
            pb.environment().putAll(env);
        }
        try {
            Process p = pb.start();
            ManagedProcess mp = new ManagedProcess(label, List.copyOf(command), p, logFile);
            System.out.println("[e2e] started " + label + " (pid " + p.pid() + "): " + String.join(" ", command)
                    + " -> " + logFile);
            return mp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + label + ": " + String.join(" ", command), e);
        }
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
                synchronized (log) {
                    log.write(line);
                    log.write('\n');
                    log.flush();
                }
            }
        } catch (IOException e) {
            // stream closed: the process ended
        } finally {
            synchronized (lines) {
                lines.notifyAll();
            }
        }
    }

    public String label() {
        return label;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Lines captured so far. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The number of lines so far: a mark to wait for lines after it. */
    public int mark() {
        synchronized (lines) {
            return lines.size();
        }
    }

    public List<String> linesSince(int mark) {
        synchronized (lines) {
            return List.copyOf(lines.subList(Math.min(mark, lines.size()), lines.size()));
        }
    }

    /** The last {@code n} lines, for failure messages. */
    public String tail(int n) {
        List<String> all = lines();
        return all.subList(Math.max(0, all.size() - n), all.size()).stream().map(l -> "    | " + l)
                .collect(Collectors.joining("\n"));
    }

    /** Waits for a line matching {@code pattern} (find) from the start of the output. */
    public Matcher waitForLine(Pattern pattern, Duration timeout) {
        return waitForLine(pattern, timeout, 0);
    }

    /**
     * Waits until a line at or after {@code fromMark} matches {@code pattern} (find), at most {@code timeout};
     * an {@link AssertionError} with the tail of the output if it does not come or the process ends first.
     */
    public Matcher waitForLine(Pattern pattern, Duration timeout, int fromMark) {
        Matcher m = pollForLine(pattern, timeout, fromMark);
        if (m == null) {
            throw new AssertionError(label + ": no line matching /" + pattern + "/ within " + timeout.toSeconds() + " s"
                    + (process.isAlive() ? "" : " (the process ended with exit status " + exitValueOrNull() + ")")
                    + "; last lines (" + logFile + "):\n" + tail(40));
        }
        return m;
    }

    /** Like {@link #waitForLine(Pattern, Duration, int)}, but null instead of an error. */
    public Matcher pollForLine(Pattern pattern, Duration timeout, int fromMark) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = fromMark;
        synchronized (lines) {
            while (true) {
                for (; next < lines.size(); next++) {
                    Matcher m = pattern.matcher(lines.get(next));
                    if (m.find()) {
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    return null;
                }
                try {
                    lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    /** Lines (from the start) that match. */
    public List<String> grep(Predicate<String> p) {
        return lines().stream().filter(p).toList();
    }

    public List<String> grep(Pattern p) {
        return grep(l -> p.matcher(l).find());
    }

    /** Waits for the process to end by itself, at most {@code timeout}; its exit status, or an error. */
    public int waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(label + " (pid " + pid() + ") did not end within " + timeout.toSeconds()
                        + " s; last lines:\n" + tail(20));
            }
            reader.join(5000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private Integer exitValueOrNull() {
        return process.isAlive() ? null : process.exitValue();
    }

    /** Sends SIGINT (by PID), as Ctrl-C would: ping prints its summary. */
    public void interrupt() {
        Cmd.run(Duration.ofSeconds(5), "kill", "-INT", Long.toString(pid()));
    }

    /**
     * Stops the process by PID: SIGTERM to it and its descendants, up to {@code grace} for it to end, then
     * SIGKILL. Returns its exit status.
     */
    public int stop(Duration grace) {
        if (process.isAlive()) {
            List<ProcessHandle> kids = process.descendants().toList();
            process.destroy(); // SIGTERM to this PID
            kids.forEach(ProcessHandle::destroy);
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.err.println("[e2e] " + label + " (pid " + pid() + ") ignored SIGTERM for " + grace.toMillis()
                            + " ms: SIGKILL");
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
                for (ProcessHandle k : kids) {
                    if (k.isAlive()) {
                        k.destroyForcibly();
                    }
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (log) {
            try {
                log.flush();
            } catch (IOException e) {
                // ignore
            }
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
        synchronized (log) {
            try {
                log.close();
            } catch (IOException e) {
                // ignore
            }
        }
    }

    @Override
    public String toString() {
        return label + " (pid " + pid() + ")";
    }

    public List<String> command() {
        return command;
    }
}
