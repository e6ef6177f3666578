package org.tunnelbus.e2e.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ping and iperf3 between namespaces, bounded in count and time. */
public final class Traffic {
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final Pattern RECEIVED_BYTES = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bytes\"\\s*:\\s*(\\d+)");
    private static final Pattern RECEIVED_BPS = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    private Traffic() {
    }

    /** The summary of one ping run. */
    public record PingResult(int transmitted, int received, String output) {
        public int lost() {
            return transmitted - received;
        }
    }

    /**
     * {@code count} pings from {@code ns} to {@code target}, {@code intervalMs} apart, each answer awaited at most
     * 1 s. Exactly {@code count} are sent (no {@code -w}: with it ping would send until {@code count} answers
     * came); the run is bounded by the command's timeout.
     */
    public static PingResult ping(Netns ns, String target, int count, int intervalMs) {
        int bound = (int) Math.ceil(count * intervalMs / 1000.0) + 15;
        Cmd.Result r = ns.run(Duration.ofSeconds(bound), "ping", "-n", "-c", Integer.toString(count), "-i",
                String.format(java.util.Locale.ROOT, "%.3f", intervalMs / 1000.0), "-W", "1", target);
        return parse(r.output());
    }

    static PingResult parse(String output) {
        Matcher m = SUMMARY.matcher(output);
        if (!m.find()) {
            return new PingResult(0, 0, output);
        }
        return new PingResult(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), output);
    }

    /** Pings until one answer comes (at most {@code timeout}); true if one did. */
    public static boolean waitForPing(Netns ns, String target, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (ns.run(Duration.ofSeconds(5), "ping", "-n", "-c", "1", "-W", "1", target).ok()) {
                return true;
            }
            sleep(200);
        }
        return false;
    }

    /** Polls {@code condition} every 200 ms for at most {@code timeout}; true once it holds. */
    public static boolean waitFor(java.util.function.BooleanSupplier condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() >= end) {
                return false;
            }
            sleep(200);
        }
        return true;
    }

    /** Asserts that {@code count} pings all come back. */
    public static PingResult assertPings(Netns ns, String target, int count) {
        return assertPings(ns, target, count, null);
    }

    /** The same, with {@code server}'s drop counters in the failure message. */
    public static PingResult assertPings(Netns ns, String target, int count, TunnelbusServer server) {
        java.util.Map<String, Long> before = server == null ? null : server.counters();
        PingResult r = ping(ns, target, count, 200);
        if (r.transmitted() != count || r.received() != count) {
            throw new AssertionError("ping " + ns.name() + " -> " + target + ": " + r.received() + " of " + r.transmitted()
                    + " answered (expected " + count + ")"
                    + (server == null ? "" : TunnelbusServer.dropsBetween(before, server.counters())) + ":\n" + r.output());
        }
        return r;
    }

    /**
     * A ping that runs in the background for {@code count} × {@code intervalMs}: start it, do something, then
     * {@link #finish(ManagedProcess)} it.
     */
    public static ManagedProcess startPing(Cleanup cleanup, Netns ns, String target, int count, int intervalMs, Path log) {
        return ns.start(cleanup, "ping-" + ns.name() + "-" + target, log, List.of("ping", "-n", "-O", "-c",
                Integer.toString(count), "-i", String.format(java.util.Locale.ROOT, "%.3f", intervalMs / 1000.0), "-W", "2",
                target), null);
    }

    /** Waits (bounded) for a background ping to end and returns its summary; exactly its count were sent. */
    public static PingResult finish(ManagedProcess ping) {
        ping.waitForExit(Duration.ofSeconds(180));
        return parse(String.join("\n", ping.lines()));
    }

    /** One iperf3 run. */
    public record IperfResult(long bytes, double mbitPerSecond, String json) {
    }

    /** An iperf3 server in {@code ns} bound to {@code address}, waiting until it listens. */
    public static ManagedProcess iperfServer(Cleanup cleanup, Netns ns, String address, int port, Path log) {
        ManagedProcess p = ns.start(cleanup, "iperf3-server-" + ns.name(), log, List.of("iperf3", "-s", "-B", address, "-p",
                Integer.toString(port), "--forceflush"), null);
        waitForTcpListener(ns, port, Duration.ofSeconds(20), p);
        return p;
    }

    /** iperf3 from {@code ns} to the server at {@code address} for {@code seconds}; {@code reverse}: server sends. */
    private static final Pattern IPERF_NOT_READY = Pattern.compile(
            "server is busy|Connection refused|Connection reset|unable to (connect|receive|send)");

    public static IperfResult iperf(Netns ns, String address, int port, int seconds, boolean reverse) {
        List<String> c = new java.util.ArrayList<>(List.of("iperf3", "-c", address, "-p", Integer.toString(port), "-t",
                Integer.toString(seconds), "-J", "--connect-timeout", "5000"));
        if (reverse) {
            c.add("-R");
        }
        Cmd.Result r = Cmd.run(Duration.ofSeconds(seconds + 40), ns.exec(c));
        // iperf3 -s serves one test at a time and needs a moment after one ends (it closes and reopens its
        // listening socket): "busy" or a refused/reset control connection right after a test is iperf3, not the tunnel
        for (int retry = 0; retry < 5 && !RECEIVED_BYTES.matcher(r.output()).find()
                && IPERF_NOT_READY.matcher(r.output()).find(); retry++) {
            sleep(1000);
            r = Cmd.run(Duration.ofSeconds(seconds + 40), ns.exec(c));
        }
        Matcher b = RECEIVED_BYTES.matcher(r.output());
        Matcher bps = RECEIVED_BPS.matcher(r.output());
        if (!r.ok() || !b.find()) {
            throw new AssertionError("iperf3 " + (reverse ? "-R " : "") + ns.name() + " -> " + address + " failed (exit "
                    + r.exit() + "):\n" + r.output());
        }
        double mbit = bps.find() ? Double.parseDouble(bps.group(1)) / 1e6 : 0;
        return new IperfResult(Long.parseLong(b.group(1)), mbit, r.output());
    }

    /**
     * One tunnel carries traffic: 3 pings each way, then iperf3 {@code seconds} each way against the iperf3 server
     * on {@code serverTun} (started by the caller); prints the rates under {@code label}.
     */
    public static void assertTunnelCarries(String label, Netns client, String clientTun, Netns server, String serverTun,
            int iperfPort, int seconds) {
        assertPings(client, serverTun, 3);
        assertPings(server, clientTun, 3);
        IperfResult up = iperf(client, serverTun, iperfPort, seconds, false);
        // iperf3 -s closes and reopens its listening socket between tests: a connect right away can meet the gap
        sleep(1000);
        IperfResult down = iperf(client, serverTun, iperfPort, seconds, true);
        System.out.printf("[e2e] %s: iperf3 client->server %.1f Mbit/s (%d bytes), server->client %.1f Mbit/s (%d bytes)%n",
                label, up.mbitPerSecond(), up.bytes(), down.mbitPerSecond(), down.bytes());
        if (up.bytes() <= 0 || down.bytes() <= 0) {
            throw new AssertionError(label + ": iperf3 moved nothing " + (up.bytes() <= 0 ? "client->server" : "server->client"));
        }
    }

    /** Waits until something in {@code ns} listens on TCP {@code port}. */
    public static void waitForTcpListener(Netns ns, int port, Duration timeout, ManagedProcess owner) {
        waitForListener(ns, "-Hltn", port, timeout, owner);
    }

    /** Waits until something in {@code ns} has UDP {@code port} open. */
    public static void waitForUdpListener(Netns ns, int port, Duration timeout, ManagedProcess owner) {
        waitForListener(ns, "-Hlun", port, timeout, owner);
    }

    private static void waitForListener(Netns ns, String flags, int port, Duration timeout, ManagedProcess owner) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Cmd.Result r = ns.run(Duration.ofSeconds(5), "ss", flags, "sport = :" + port);
            if (r.ok() && !r.output().isBlank()) {
                return;
            }
            if (owner != null && !owner.isAlive()) {
                break;
            }
            sleep(100);
        }
        throw new AssertionError("nothing listens on port " + port + " (ss " + flags + ") in " + ns.name() + " after "
                + timeout.toSeconds() + " s" + (owner == null ? "" : "; " + owner.label() + " says:\n" + owner.tail(30)));
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
