package org.tunnelbus.management.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The command-line side of the management socket, run outside the framework by {@code bin/tunnelbus
 * status}: {@code java -cp <this bundle's jar> ...ManagementClient --home DIR status}. Uses the JDK only.
 */
public final class ManagementClient {
    private ManagementClient() {
    }

    public static void main(String[] args) {
        String home = null;
        String socket = null;
        StringBuilder command = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = ++i < args.length ? args[i] : usage();
                case "--socket" -> socket = ++i < args.length ? args[i] : usage();
                default -> command.append(command.length() == 0 ? "" : " ").append(args[i]);
            }
        }
        Path path = socket != null ? Paths.get(socket) : Paths.get(home == null ? "." : home, "run", "management.sock");
        System.exit(ask(path, command.length() == 0 ? "status" : command.toString()));
    }

    static int ask(Path path, String command) {
        if (!Files.exists(path)) {
            System.err.println("tunnelbus: no management socket at " + path + " - is Tunnelbus running with this --home?");
            return 2;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(path));
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            StringBuilder out = new StringBuilder();
            while (ch.read(buf) > 0) {
                buf.flip();
                out.append(StandardCharsets.UTF_8.decode(buf));
                buf.clear();
            }
            System.out.print(out);
            return out.toString().startsWith("ERROR") ? 1 : 0;
        } catch (IOException e) {
            System.err.println("tunnelbus: cannot talk to " + path + ": " + e.getMessage()
                    + " - is Tunnelbus running with this --home?");
            return 2;
        }
    }

    private static String usage() {
        System.err.println("usage: ManagementClient [--home DIR | --socket PATH] [status|chain|counters|help]");
        System.exit(64);
        return null;
    }
}
