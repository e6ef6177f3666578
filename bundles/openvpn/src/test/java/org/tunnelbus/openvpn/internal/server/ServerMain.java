package org.tunnelbus.openvpn.internal.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link ServerHarness} as a process, for tests that must run the server inside a network namespace
 * ({@code ip netns exec NS java -cp ... ServerMain DIR [key=value ...]}): writes {@code DIR/client.conf} for a
 * stock client with a real TUN device, prints {@code READY <port>}, serves until its stdin closes.
 */
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Map<String, Object> listener = new HashMap<>();
        Map<String, Object> push = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv[0].startsWith("push.")) {
                push.put(kv[0].substring(5), kv[1].matches("\\d+") ? Integer.valueOf(kv[1]) : kv[1]);
            } else {
                listener.put(kv[0], kv[1]);
            }
        }
        try (ServerHarness server = new ServerHarness(dir, listener, push)) {
            Files.writeString(dir.resolve("client.conf"), server.clientConfig("dev tun", "explicit-exit-notify 1"));
            System.out.println("READY " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the parent closes our stdin (or dies)
            }
            System.out.println("ECHOED " + server.echoed.get() + " OTHER " + server.otherTraffic.get() + " PINGS "
                    + server.open.pings());
            System.out.flush();
        }
    }
}
