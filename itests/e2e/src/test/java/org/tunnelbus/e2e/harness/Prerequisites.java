package org.tunnelbus.e2e.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What the end-to-end tests need from the machine: root (network namespaces, TUN devices), {@code /dev/net/tun},
 * Debian's {@code openvpn}, {@code iperf3}, {@code ip}, {@code ping} (and the built distribution for the Tunnelbus
 * tests). Missing any: under {@code CI=true} the test <b>fails</b> naming what is missing; otherwise it is skipped
 * with a loud message on stderr.
 */
public final class Prerequisites {
    private Prerequisites() {
    }

    /** The machine part: root, /dev/net/tun and the tools. */
    public static void requireMachine() {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("root (uid 0)");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            missing.add("/dev/net/tun");
        }
        for (String tool : List.of("openvpn", "iperf3", "ip", "ping")) {
            if (!Cmd.onPath(tool)) {
                missing.add(tool + " (apt-get install -y openvpn iperf3 iproute2 iputils-ping)");
            }
        }
        report(missing);
    }

    /** The machine part and the distribution: {@code bin/tunnelbus} of {@link #distribution()}. */
    public static Path requireDistribution() {
        requireMachine();
        Path dist = distribution();
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(dist.resolve("bin/tunnelbus"))) {
            missing.add("the built distribution " + dist + " (bin/tunnelbus): build it with mvn install at the top level");
        }
        report(missing);
        return dist;
    }

    /**
     * Extra tools one test class needs (e.g. {@code python3}, {@code prometheus}, {@code chromium}), each with the
     * Debian package that brings it ({@code tool=package}, or just the name when they are the same).
     */
    public static void requireTools(String... tools) {
        List<String> missing = new ArrayList<>();
        for (String t : tools) {
            String[] tp = t.split("=", 2);
            if (!Cmd.onPath(tp[0])) {
                missing.add(tp[0] + " (apt-get install -y " + (tp.length > 1 ? tp[1] : tp[0]) + "; .ci/run installs it)");
            }
        }
        report(missing);
    }

    /** The distribution under test: system property {@code tunnelbus.dist}, else runtime/target/tunnelbus. */
    public static Path distribution() {
        String d = System.getProperty("tunnelbus.dist");
        Path p = d == null || d.isBlank() ? Path.of("../../runtime/target/tunnelbus") : Path.of(d);
        return p.toAbsolutePath().normalize();
    }

    /** Where tests keep homes, configurations and logs: {@code target/e2e}. */
    public static Path work() {
        String d = System.getProperty("tunnelbus.e2e.work");
        Path p = d == null || d.isBlank() ? Path.of("target/e2e") : Path.of(d);
        try {
            return Files.createDirectories(p.toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static void report(List<String> missing) {
        if (missing.isEmpty()) {
            return;
        }
        String what = String.join(", ", missing);
        if (ci()) {
            Assertions.fail("end-to-end prerequisites missing under CI=true: " + what);
        }
        String banner = "#".repeat(100);
        System.err.println(banner + "\n# SKIPPING the Tunnelbus end-to-end tests: missing " + what
                + "\n# (under CI=true this is a failure)\n" + banner);
        Assumptions.abort("end-to-end prerequisites missing: " + what);
    }

    private static boolean isRoot() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) {
                    return l.split("\\s+")[2].equals("0"); // effective uid
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "root".equals(System.getProperty("user.name"));
    }
}
