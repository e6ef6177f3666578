package org.tunnelbus.openvpn.internal.server;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The stock {@code openvpn} binary as a client, run as a child process with a config file and a log file;
 * killed (by its own handle, never by name) when closed.
 */
final class StockClient implements AutoCloseable {
    private static final String BINARY = findBinary();

    private final Path dir;
    private final Path log;
    private final Process process;

    private StockClient(Path dir, Path log, Process process) {
        this.dir = dir;
        this.log = log;
        this.process = process;
    }

    static boolean available() {
        return BINARY != null;
    }

    private static String findBinary() {
        for (String p : new String[] {"/usr/sbin/openvpn", "/usr/bin/openvpn", "/usr/local/sbin/openvpn"}) {
            if (new File(p).canExecute()) {
                return p;
            }
        }
        return null;
    }

    /** Starts {@code openvpn --config FILE} in {@code dir}, optionally prefixed (e.g. ip netns exec NS). */
    static StockClient start(Path dir, String config, List<String> prefix) throws IOException {
        Path conf = dir.resolve("client.conf");
        Files.writeString(conf, config);
        Path log = dir.resolve("client.log");
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(BINARY);
        cmd.add("--config");
        cmd.add(conf.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        return new StockClient(dir, log, pb.start());
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the log matches {@code regex}; false on timeout or if the client exited. */
    boolean await(String regex, Duration timeout) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (p.matcher(log()).find()) {
                return true;
            }
            if (!process.isAlive()) {
                return p.matcher(log()).find();
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** The last {@code n} lines of the log, without the option dump. */
    String tail(int n) {
        String[] lines = log().split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, lines.length - n); i < lines.length; i++) {
            sb.append(lines[i]).append('\n');
        }
        return sb.toString();
    }

    int count(String regex) {
        return (int) Pattern.compile(regex).matcher(log()).results().count();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM (openvpn then sends its exit notification), then SIGKILL if it lingers. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
