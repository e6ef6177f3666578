package org.tunnelbus.e2e.harness;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A network namespace this test created: {@code tb-e2e-<random>-<role>}, with {@code lo} up. Everything of the
 * test's network (links, addresses, routes, tunnel devices, traffic) lives in such namespaces; the root namespace
 * is never configured. {@link #close()} stops the processes still inside it (by PID, from {@code ip netns pids})
 * and deletes it, which removes its devices (veth ends, TUN devices) with it.
 */
public final class Netns implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration CMD = Duration.ofSeconds(20);

    private final String name;
    private boolean deleted;

    private Netns(String name) {
        this.name = name;
    }

    /** A random tag shared by the namespaces of one test class: {@code tb-e2e-<tag>-<role>}. */
    public static String newTag() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Creates {@code tb-e2e-<tag>-<role>}, registered with {@code cleanup}. */
    public static Netns create(Cleanup cleanup, String tag, String role) {
        String name = "tb-e2e-" + tag + "-" + role;
        Cmd.run(CMD, "ip", "netns", "add", name).check();
        Netns ns = cleanup.add(new Netns(name));
        ns.ip("link", "set", "lo", "up");
        return ns;
    }

    public String name() {
        return name;
    }

    /** {@code ip netns exec NAME command...} as an argument list. */
    public List<String> exec(String... command) {
        return exec(List.of(command));
    }

    public List<String> exec(List<String> command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
        c.addAll(command);
        return c;
    }

    /** Runs {@code command} inside, to its end. */
    public Cmd.Result run(Duration timeout, String... command) {
        return Cmd.run(timeout, exec(command));
    }

    /** {@code ip -n NAME args...}, checked. */
    public Cmd.Result ip(String... args) {
        List<String> c = new ArrayList<>(List.of("ip", "-n", name));
        c.addAll(List.of(args));
        return Cmd.run(CMD, c).check();
    }

    /** Starts a long-running process inside, registered with {@code cleanup}. */
    public ManagedProcess start(Cleanup cleanup, String label, Path log, String... command) {
        return start(cleanup, label, log, List.of(command), null);
    }

    public ManagedProcess start(Cleanup cleanup, String label, Path log, List<String> command, Map<String, String> env) {
        return cleanup.add(ManagedProcess.start(label, log, exec(command), env));
    }

    /** Adds {@code address} (with prefix) to {@code dev} and sets it up. */
    public void address(String dev, String address) {
        ip("addr", "add", address, "dev", dev);
        ip("link", "set", dev, "up");
    }

    /**
     * A veth pair between this namespace and {@code other}, created directly inside them (the root namespace never
     * sees it): {@code here} in this one with {@code hereAddress}, {@code there} in the other with
     * {@code thereAddress} (either may be null: no address). Both ends up.
     */
    public void veth(String here, String hereAddress, Netns other, String there, String thereAddress) {
        ip("link", "add", here, "type", "veth", "peer", "name", there, "netns", other.name);
        if (hereAddress != null) {
            ip("addr", "add", hereAddress, "dev", here);
        }
        if (thereAddress != null) {
            other.ip("addr", "add", thereAddress, "dev", there);
        }
        ip("link", "set", here, "up");
        other.ip("link", "set", there, "up");
    }

    /**
     * A bridge {@code name} with {@code address}, up. Its MAC address is fixed (locally administered): a Linux
     * bridge without one takes the lowest MAC of its ports, so each client veth added later could change it
     * and leave the earlier clients' ARP entries pointing at a MAC nobody answers to, losing their packets
     * for tens of seconds.
     */
    public void bridge(String bridge, String address) {
        ip("link", "add", bridge, "address", "02:00:00:00:00:01", "type", "bridge");
        if (address != null) {
            ip("addr", "add", address, "dev", bridge);
        }
        ip("link", "set", bridge, "up");
    }

    /** The IPv4 address (without prefix) of {@code dev}, or null. */
    public String ipv4Of(String dev) {
        // "inet 10.8.0.2/24" on a subnet device, "inet 10.9.0.2 peer 10.9.0.1/32" on a point-to-point one
        Cmd.Result r = Cmd.run(CMD, "ip", "-n", name, "-4", "-o", "addr", "show", "dev", dev);
        if (!r.ok()) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)[/ ]").matcher(r.output());
        return m.find() ? m.group(1) : null;
    }

    /** PIDs of the processes inside. */
    public List<Long> pids() {
        Cmd.Result r = Cmd.run(CMD, "ip", "netns", "pids", name);
        List<Long> out = new ArrayList<>();
        if (r.ok()) {
            for (String l : r.output().split("\\s+")) {
                if (l.matches("\\d+")) {
                    out.add(Long.parseLong(l));
                }
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (deleted) {
            return;
        }
        deleted = true;
        // whatever is still inside (a process a test forgot, or a child of one): by PID, TERM then KILL
        List<Long> left = pids();
        if (!left.isEmpty()) {
            System.err.println("[e2e] " + name + ": stopping leftover processes " + left);
            for (Long pid : left) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline && left.stream().anyMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            for (Long pid : left) {
                ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        Cmd.Result r = Cmd.run(CMD, "ip", "netns", "del", name);
        if (!r.ok()) {
            System.err.println("[e2e] cannot delete namespace " + name + ": " + r.output().strip());
        }
    }

    @Override
    public String toString() {
        return "netns " + name;
    }
}
