package org.tunnelbus.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The network of one test class, all inside namespaces it creates ({@code tb-e2e-<tag>-*}):
 *
 * <pre>
 *   tb-e2e-TAG-srv   br0 10.201.0.1/24  (the VPN server's public side; the server process runs here)
 *        | vc1 … vcN (veth, enslaved to br0)
 *   tb-e2e-TAG-c1    eth0 10.201.0.11/24   (one namespace per VPN client: each gets its own tun0)
 *   tb-e2e-TAG-c2    eth0 10.201.0.12/24
 * </pre>
 *
 * The clients reach each other over the bridge only by their underlay addresses; IP forwarding is off in every
 * new namespace, so the server namespace forwards nothing between tunnels. {@link #close()} removes all of it.
 */
public final class Lab implements AutoCloseable {
    public static final String SERVER_UNDERLAY = "10.201.0.1";

    private final Cleanup cleanup;
    private final String tag;
    private final Path dir;
    private final Netns server;
    private final Map<Integer, Netns> clients = new TreeMap<>();

    public Lab(String name) {
        this.cleanup = new Cleanup(name);
        this.tag = Netns.newTag();
        try {
            this.dir = Files.createDirectories(Prerequisites.work().resolve(name + "-" + tag));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean ok = false;
        try {
            this.server = Netns.create(cleanup, tag, "srv");
            server.bridge("br0", SERVER_UNDERLAY + "/24");
            ok = true;
        } finally {
            if (!ok) {
                cleanup.close();
            }
        }
        System.out.println("[e2e] " + name + ": namespaces tb-e2e-" + tag + "-*, files in " + dir);
    }

    public Cleanup cleanup() {
        return cleanup;
    }

    /** Where this lab keeps homes, profiles and logs. */
    public Path dir() {
        return dir;
    }

    public Netns server() {
        return server;
    }

    /** Client namespace {@code i} (1..99), created on first use. */
    public synchronized Netns client(int i) {
        return clients.computeIfAbsent(i, k -> {
            Netns ns = Netns.create(cleanup, tag, "c" + k);
            server.veth("vc" + k, null, ns, "eth0", underlay(k) + "/24");
            server.ip("link", "set", "vc" + k, "master", "br0");
            return ns;
        });
    }

    /** The underlay address of client {@code i}. */
    public static String underlay(int i) {
        return "10.201.0." + (10 + i);
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    @Override
    public void close() {
        cleanup.close();
    }
}
