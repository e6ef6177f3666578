package org.tunnelbus.openvpn.internal.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The servers a client connection tries, in order (OpenVPN: several {@code --remote} lines, {@code --remote-random};
 * {@code init.c next_connection_entry()}): each attempt goes to the current one; a failed or lost connection moves
 * on to the next, wrapping around; a server's {@code RESTART} without the N flag comes back to the same one.
 * Used on the connector's control thread.
 */
final class RemoteList {
    /** One server: a host name or address (resolved at every attempt) and its port. */
    record Remote(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    private final List<Remote> remotes;
    private int current;

    RemoteList(List<Remote> remotes, boolean random, Random rng) {
        List<Remote> order = new ArrayList<>(remotes);
        if (random) {
            Collections.shuffle(order, rng); // stock shuffles once, at start
        }
        this.remotes = List.copyOf(order);
    }

    /**
     * Reads {@code remote} entries: {@code HOST}, {@code HOST PORT} or {@code HOST PORT PROTO}, as the stock directive.
     *
     * @throws IllegalArgumentException naming the entry: a bad port, or a protocol other than {@code proto} (one
     *         protocol for all servers: it is part of the options string)
     */
    static List<Remote> parse(List<String> entries, int defaultPort, ClientProto proto) {
        List<Remote> out = new ArrayList<>();
        for (String entry : entries) {
            String[] w = entry.trim().split("\\s+");
            if (w.length > 3 || w[0].isEmpty()) {
                throw new IllegalArgumentException("'" + entry + "' is not HOST [PORT [PROTO]]");
            }
            int port = defaultPort;
            if (w.length > 1) {
                try {
                    port = Integer.parseInt(w[1]);
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("'" + entry + "': the port must be 1..65535");
                }
            }
            if (w.length == 3 && ClientProto.parse(w[2]) != proto) {
                throw new IllegalArgumentException("'" + entry + "': every server is reached with proto = "
                        + proto.name().toLowerCase(Locale.ROOT));
            }
            out.add(new Remote(w[0], port));
        }
        return out;
    }

    Remote current() {
        return remotes.get(current);
    }

    /** The next server (after a failed or lost connection); the first again after the last. */
    void advance() {
        current = (current + 1) % remotes.size();
    }

    int size() {
        return remotes.size();
    }

    List<Remote> all() {
        return remotes;
    }
}
