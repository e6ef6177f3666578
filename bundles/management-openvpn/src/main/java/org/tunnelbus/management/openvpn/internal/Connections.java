package org.tunnelbus.management.openvpn.internal;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open management connections and the endpoints that accept them: one acceptor thread per endpoint, at most
 * {@code maxClients} connections at once, notifications to those that want them.
 */
final class Connections implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private final Commands commands;
    private final String password;
    private final int maxClients;
    private final Set<ManagementConnection> open = new CopyOnWriteArraySet<>();
    private final List<Endpoint> endpoints;
    private final AtomicInteger numbers = new AtomicInteger();
    private volatile boolean closed;

    Connections(Commands commands, String password, int maxClients, List<Endpoint> endpoints) {
        this.commands = commands;
        this.password = password;
        this.maxClients = maxClients;
        this.endpoints = List.copyOf(endpoints);
        for (Endpoint e : this.endpoints) {
            Thread t = new Thread(() -> acceptLoop(e), "tunnelbus-openvpn-management-" + e.describe());
            t.setDaemon(true);
            t.start();
        }
    }

    private void acceptLoop(Endpoint endpoint) {
        while (!closed) {
            Link link;
            try {
                link = endpoint.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("Management endpoint {} stopped accepting: {}", endpoint.describe(), e.getMessage());
                }
                return;
            }
            if (open.size() >= maxClients) {
                LOG.warn("Management client on {} refused: {} clients already (max.clients)", endpoint.describe(), maxClients);
                closeQuietly(link.socket());
                continue;
            }
            ManagementConnection c = new ManagementConnection(link, commands, password, open::remove);
            open.add(c);
            c.start("tunnelbus-openvpn-management-" + numbers.incrementAndGet());
        }
    }

    /** Sends {@code lines} as one piece to every ready connection that {@code wants} them. */
    void notify(Predicate<ConnectionState> wants, List<String> lines) {
        for (ManagementConnection c : open) {
            if (c.ready() && wants.test(c.state())) {
                c.sendBlock(lines);
            }
        }
    }

    Set<ManagementConnection> open() {
        return open;
    }

    @Override
    public void close() {
        closed = true;
        for (Endpoint e : endpoints) {
            closeQuietly(e);
        }
        for (ManagementConnection c : open) {
            c.close();
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("close: {}", e.toString());
        }
    }
}
