package org.tunnelbus.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The real distribution, started as a user would, inside a namespace:
 * {@code ip netns exec NS DIST/bin/tunnelbus start --home HOME --console-port P}, plus its command-line tools
 * ({@code profile}, {@code status}) and live edits of {@code HOME/config}.
 */
public final class TunnelbusServer implements AutoCloseable {
    /** The default listener's configuration file. */
    public static final String LISTENER = "org.tunnelbus.openvpn.server-default.cfg";

    private final Netns ns;
    private final Path dist;
    private final Path home;
    private final ManagedProcess process;

    private TunnelbusServer(Netns ns, Path dist, Path home, ManagedProcess process) {
        this.ns = ns;
        this.dist = dist;
        this.home = home;
        this.process = process;
    }

    /**
     * Starts the distribution {@code dist} on {@code home} (created if missing; an empty home is a first start)
     * inside {@code ns}; output to {@code log}.
     */
    public static TunnelbusServer start(Cleanup cleanup, Netns ns, Path dist, Path home, int consolePort, Path log) {
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TUNNELBUS_OPTS", System.getProperty("tunnelbus.e2e.opts", "-Xmx512m -XX:MaxDirectMemorySize=256m"));
        ManagedProcess p = ns.start(cleanup, "tunnelbus-" + ns.name(), log, List.of(dist.resolve("bin/tunnelbus").toString(),
                "start", "--home", home.toString(), "--console-port", Integer.toString(consolePort)), env);
        return new TunnelbusServer(ns, dist, home, p);
    }

    public ManagedProcess process() {
        return process;
    }

    public Path home() {
        return home;
    }

    public Path config(String file) {
        return home.resolve("config").resolve(file);
    }

    /** Waits until UDP {@code port} is bound inside the namespace and nothing failed on the way. */
    public void waitListening(int port, Duration timeout) {
        Traffic.waitForUdpListener(ns, port, timeout, process);
    }

    /** Waits until a TCP listener (an OpenVPN listener with {@code proto = tcp}) accepts on {@code port}. */
    public void waitListeningTcp(int port, Duration timeout) {
        Traffic.waitForTcpListener(ns, port, timeout, process);
    }

    /** Log lines at ERROR level so far ({@code DATE TIME ERROR SOURCE - MESSAGE}; a clean start has none). */
    public List<String> errors() {
        return process.grep(Pattern.compile("^\\S+ \\S+ ERROR "));
    }

    /**
     * {@code bin/tunnelbus profile NAME --home HOME ARGS...}, run in the server's namespace; the profile is written
     * to {@code out}. Returns the command's notes (stderr); an error if it fails.
     */
    public String profile(String name, Path out, String... args) {
        List<String> c = new ArrayList<>(List.of(dist.resolve("bin/tunnelbus").toString(), "profile", name, "--home",
                home.toString()));
        c.addAll(List.of(args));
        Cmd.Result r = Cmd.runToFile(Duration.ofSeconds(60), out, ns.exec(c));
        if (!r.ok()) {
            throw new AssertionError("tunnelbus profile " + name + " failed (exit " + r.exit() + "): " + r.output());
        }
        return r.output();
    }

    /**
     * {@code bin/tunnelbus user ACTION NAME --home HOME}, the password on stdin (never on a command line; the stdin
     * file, 0600, lies beside the home); null for none. Prints the command's output; an error if it fails.
     */
    public void user(String action, String name, String password) {
        try {
            Path in = home.resolveSibling("user-" + action + "-" + name + ".stdin");
            Files.writeString(in, password == null ? "" : password + "\n");
            Files.setPosixFilePermissions(in, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Cmd.Result r = Cmd.run(Duration.ofSeconds(60), "bash", "-c", "exec \"$0\" user \"$1\" \"$2\" --home \"$3\" < \"$4\"",
                    dist.resolve("bin/tunnelbus").toString(), action, name, home.toString(), in.toString());
            System.out.println("[e2e] tunnelbus user " + action + " " + name + ": " + r.output().strip());
            r.check();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code bin/tunnelbus status --home HOME}: the live sessions table. */
    public String status() {
        return Cmd.run(Duration.ofSeconds(30), ns.exec(dist.resolve("bin/tunnelbus").toString(), "status", "--home",
                home.toString())).check().output();
    }

    /** {@code bin/tunnelbus modules --home HOME}: the installed modules, where from, the slots they serve. */
    public String modules() {
        return Cmd.run(Duration.ofSeconds(30), ns.exec(dist.resolve("bin/tunnelbus").toString(), "modules", "--home",
                home.toString())).check().output();
    }

    /** {@code bin/tunnelbus ARGS... --home HOME} in the server's namespace, to its end (checked or not by the caller). */
    public Cmd.Result tool(String... args) {
        List<String> c = new ArrayList<>(List.of(dist.resolve("bin/tunnelbus").toString()));
        c.addAll(List.of(args));
        c.addAll(List.of("--home", home.toString()));
        return Cmd.run(Duration.ofSeconds(60), ns.exec(c));
    }

    /** {@code bin/tunnelbus session --home HOME}: every detail of every session, options included. */
    public String sessionDetails() {
        return Cmd.run(Duration.ofSeconds(30), ns.exec(dist.resolve("bin/tunnelbus").toString(), "session", "--home",
                home.toString())).check().output();
    }

    /** {@code bin/tunnelbus counters --home HOME}: every counter of the bus, {@code name value} per line. */
    public Map<String, Long> counters() {
        Cmd.Result r = Cmd.run(Duration.ofSeconds(30), ns.exec(dist.resolve("bin/tunnelbus").toString(), "counters",
                "--home", home.toString()));
        Map<String, Long> out = new java.util.TreeMap<>();
        if (!r.ok()) {
            return out;
        }
        for (String line : r.output().split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2 && kv[1].matches("-?\\d+")) {
                out.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return out;
    }

    /** The non-zero counters whose names start with {@code prefix}, one per line, for failure messages. */
    public String counterReport(String prefix) {
        StringBuilder b = new StringBuilder();
        counters().forEach((k, v) -> {
            if (k.startsWith(prefix) && v != 0) {
                b.append("\n    ").append(k).append(' ').append(v);
            }
        });
        return b.length() == 0 ? " (none, or the server did not answer)" : b.toString();
    }

    /** The drop counters that grew between two {@link #counters()} snapshots, for failure messages. */
    public static String dropsBetween(Map<String, Long> before, Map<String, Long> after) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d != 0 && e.getKey().contains("drop")) {
                b.append("\n    ").append(e.getKey()).append(" +").append(d);
            }
        }
        return b.length() == 0 ? " (no drop counter of the bus grew)" : " (drop counters that grew:" + b + ")";
    }

    /** The row of {@code name} in {@link #status()}, split into columns, or null. */
    public List<String> statusRow(String name) {
        for (String line : status().split("\n")) {
            String[] cols = line.trim().split("\\s{2,}");
            if (cols.length > 1 && cols[0].equals(name)) {
                return List.of(cols);
            }
        }
        return null;
    }

    /**
     * Sets {@code key = value} (null: removes the key) in {@code HOME/config/FILE} as an editor would, replacing the
     * file atomically; creates the file if needed. FileInstall picks the change up within its poll interval.
     */
    public void setConfig(String file, Map<String, String> changes) {
        Path f = config(file);
        try {
            List<String> lines = Files.exists(f) ? new ArrayList<>(Files.readAllLines(f, StandardCharsets.ISO_8859_1))
                    : new ArrayList<>();
            for (Map.Entry<String, String> e : changes.entrySet()) {
                boolean done = false;
                for (int i = 0; i < lines.size(); i++) {
                    String t = lines.get(i).trim();
                    if (!t.startsWith("#") && t.matches(Pattern.quote(e.getKey()) + "\\s*[=:].*")) {
                        if (e.getValue() == null) {
                            lines.remove(i--);
                        } else {
                            lines.set(i, e.getKey() + " = " + e.getValue());
                        }
                        done = true;
                    }
                }
                if (!done && e.getValue() != null) {
                    lines.add(e.getKey() + " = " + e.getValue());
                }
            }
            Path tmp = home.resolve("." + file + ".tmp"); // outside config/: FileInstall never sees a half file
            Files.write(tmp, lines, StandardCharsets.ISO_8859_1);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot edit " + f, e);
        }
    }

    public void setConfig(String file, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(key, value);
        setConfig(file, m);
    }

    /** Deletes {@code HOME/config/FILE} (FileInstall deletes its configuration). */
    public void deleteConfig(String file) {
        try {
            Files.deleteIfExists(config(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
