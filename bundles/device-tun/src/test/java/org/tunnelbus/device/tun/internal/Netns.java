package org.tunnelbus.device.tun.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made by a test ({@code tb-dev-<random>}) and everything started in it. Commands run
 * with argument lists through {@code ip netns exec}, each bounded by a timeout; {@link #close()} ends the
 * processes it started (by their PID, through their {@link Process} handle) and deletes the namespace,
 * which removes every interface, address and route in it.
 */
final class Netns implements AutoCloseable {
    private static final String IP = "ip";
    final String name;
    private final List<Process> started = new ArrayList<>();
    private boolean closed;

    record Result(int exit, String output) {
        Result check(String what) {
            if (exit != 0) {
                throw new AssertionError(what + " failed (exit " + exit + "): " + output);
            }
            return this;
        }
    }

    private Netns(String name) {
        this.name = name;
    }

    static Netns create() {
        byte[] r = new byte[4];
        ThreadLocalRandom.current().nextBytes(r);
        Netns ns = new Netns("tb-dev-" + HexFormat.of().formatHex(r));
        run(Duration.ofSeconds(10), IP, "netns", "add", ns.name).check("ip netns add " + ns.name);
        try {
            ns.exec(Duration.ofSeconds(10), IP, "link", "set", "lo", "up").check("lo up");
        } catch (RuntimeException | Error e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Runs a command inside the namespace and waits for it (bounded). */
    Result exec(Duration timeout, String... cmd) {
        return run(timeout, inside(cmd));
    }

    /** {@code ip -n NS ...} */
    Result ip(String... args) {
        List<String> c = new ArrayList<>(List.of(IP, "-n", name));
        c.addAll(List.of(args));
        return run(Duration.ofSeconds(10), c.toArray(String[]::new));
    }

    /** Starts a long-running command inside the namespace; {@link #close()} ends it by PID. */
    Process start(String... cmd) throws IOException {
        Process p = new ProcessBuilder(inside(cmd)).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    /** Runs {@code task} on a thread inside the namespace (sockets it opens live there). */
    <T> T call(Callable<T> task) throws Exception {
        return NetnsRunner.call(name, task);
    }

    private String[] inside(String... cmd) {
        List<String> c = new ArrayList<>(List.of(IP, "netns", "exec", name));
        c.addAll(List.of(cmd));
        return c.toArray(String[]::new);
    }

    static Result run(Duration timeout, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            StringBuilder out = new StringBuilder();
            Thread pump = new Thread(() -> {
                try (InputStream in = p.getInputStream()) {
                    out.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // exit code tells
                }
            });
            pump.setDaemon(true);
            pump.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                pump.join(1000);
                return new Result(-1, String.join(" ", cmd) + " timed out after " + timeout + ": " + out);
            }
            pump.join(5000);
            return new Result(p.exitValue(), out.toString());
        } catch (IOException e) {
            return new Result(-2, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-3, "interrupted");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (started) {
            for (Process p : started) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            for (Process p : started) {
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        Result r = run(Duration.ofSeconds(10), IP, "netns", "del", name);
        if (r.exit() != 0) {
            System.err.println("WARNING: ip netns del " + name + ": " + r.output());
        }
    }
}
