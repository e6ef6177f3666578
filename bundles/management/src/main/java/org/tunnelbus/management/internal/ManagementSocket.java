package org.tunnelbus.management.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.pipeline.CounterSource;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.session.SessionRegistry;

/**
 * The management socket: a UNIX socket in a 0700 directory, itself 0600, so only the instance's user
 * can ask. One connection carries one command line and gets the answer, then closes — simple enough
 * for {@code bin/tunnelbus status}, scripts, and {@code socat} at 3 a.m.
 */
@Component(configurationPid = ManagementConfig.PID, service = {})
@Designate(ocd = ManagementConfig.class)
public final class ManagementSocket {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementSocket.class);
    private static final int MAX_LINE = 1024;

    private final ManagementCommands commands;
    private final Path path;
    private final ServerSocketChannel server;
    private final Thread acceptor;

    @Activate
    public ManagementSocket(@Reference SessionRegistry sessions, @Reference PacketBus bus, ManagementConfig config,
            BundleContext context) throws IOException {
        this(new ManagementCommands(sessions, bus, () -> ModulesReport.of(context.getBundles(), distBundles(context),
                homeModules(context))), socketPath(config, context.getProperty("tunnelbus.home")));
    }

    ManagementSocket(ManagementCommands commands, Path path) throws IOException {
        this.commands = commands;
        this.path = path;
        this.server = bind(path);
        this.acceptor = new Thread(this::acceptLoop, "tunnelbus-management");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("Management socket: {}", path);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCounterSource(CounterSource source) {
        commands.add(source);
    }

    void unbindCounterSource(CounterSource source) {
        commands.remove(source);
    }

    /** The distribution's bundles/ folder (launcher property tunnelbus.dist), or null. */
    private static Path distBundles(BundleContext context) {
        String dist = context.getProperty("tunnelbus.dist");
        return dist == null ? null : Paths.get(dist, "bundles").toAbsolutePath().normalize();
    }

    private static Path homeModules(BundleContext context) {
        String home = context.getProperty("tunnelbus.home");
        return home == null ? null : Paths.get(home, "modules").toAbsolutePath().normalize();
    }

    static Path socketPath(ManagementConfig config, String home) {
        if (!config.socket().isBlank()) {
            return Paths.get(config.socket().trim());
        }
        return Paths.get(home == null ? System.getProperty("user.dir") : home, "run", "management.sock");
    }

    private static ServerSocketChannel bind(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.deleteIfExists(path); // a stale socket of a previous run
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            return ch;
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot open the management socket " + path + ": " + e.getMessage(), e);
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                answer(client);
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("Management connection failed: {}", e.getMessage());
                }
            } catch (RuntimeException e) {
                LOG.error("Management command failed", e);
            }
        }
    }

    private void answer(SocketChannel client) throws IOException {
        String line = readLine(client);
        String reply = commands.run(line);
        client.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
    }

    private static String readLine(SocketChannel client) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_LINE);
        while (buf.hasRemaining() && client.read(buf) > 0) {
            if (buf.get(buf.position() - 1) == '\n') {
                break;
            }
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).trim();
    }

    @Deactivate
    void deactivate() throws IOException {
        server.close();
        Files.deleteIfExists(path);
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
