package org.tunnelbus.device.tun.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * The kernel tests need root, {@code /dev/net/tun}, iproute2 with network namespaces, and some tools.
 * When one is missing: under {@code CI=true} the test fails naming it; elsewhere it is skipped with a
 * loud line on stderr.
 */
final class Prerequisites {
    private Prerequisites() {
    }

    static void require(String... tools) {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("root (uid 0, for CAP_NET_ADMIN and ip netns)");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            missing.add("/dev/net/tun");
        }
        for (String t : tools) {
            if (which(t) == null) {
                missing.add("'" + t + "' (apt-get install " + packageOf(t) + ")");
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String msg = "kernel test prerequisites missing: " + String.join(", ", missing);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(msg + " (CI=true: these tests must run)");
        }
        System.err.println();
        System.err.println("!!!!! SKIPPED: " + msg + " - set CI=true to make this a failure !!!!!");
        System.err.println();
        Assumptions.abort(msg);
    }

    static String which(String tool) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/bin", "/usr/local/sbin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static String packageOf(String tool) {
        return switch (tool) {
            case "ip" -> "iproute2";
            case "ping" -> "iputils-ping";
            default -> tool;
        };
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
