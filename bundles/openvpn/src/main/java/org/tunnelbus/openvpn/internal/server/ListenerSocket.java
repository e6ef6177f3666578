package org.tunnelbus.openvpn.internal.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.api.transport.TransportFactory;
import org.tunnelbus.api.transport.TransportSpec;
import org.tunnelbus.openvpn.internal.link.NamedServices;
import org.tunnelbus.openvpn.internal.link.PacketDemux;
import org.tunnelbus.openvpn.internal.link.TransportBinding;
import org.tunnelbus.openvpn.internal.link.TransportLinkSink;

/**
 * A listener's socket: opened from the socket module of its {@code proto} (highest ranking), reopened on the
 * successor when that module goes away or is updated, and on a new {@code listen}/{@code port}. The
 * {@link TransportLinkSink} sessions send through follows it. Opened and closed on the control thread; the
 * transport's callbacks are handed there.
 */
final class ListenerSocket implements TransportBinding.Events {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerSocket.class);
    private static final int TRANSPORT_BATCH = 64;

    /** What the listener does when a peer's connection opens or closes (stream transports), on the control thread. */
    interface Connections {
        void connectionOpened(InetSocketAddress remote);

        void connectionClosed(InetSocketAddress remote, String reason);

        /** The socket closed without being asked to: reopen it in a second if the listener is still active. */
        void socketLost(String reason);
    }

    private final NamedServices<TransportFactory> factories = new NamedServices<>(TransportFactory.PROTOCOL);
    private final Supplier<String> pid;
    private final PacketAllocator allocator;
    private final TransportLinkSink link;
    private final Connections connections;
    private final Consumer<Runnable> controlThread;
    private PacketDemux demux;
    /** Control thread only. */
    private TransportBinding binding;

    ListenerSocket(Supplier<String> pid, PacketAllocator allocator, TransportLinkSink link, Connections connections,
            Consumer<Runnable> controlThread) {
        this.pid = pid;
        this.allocator = allocator;
        this.link = link;
        this.connections = connections;
        this.controlThread = controlThread;
    }

    void demux(PacketDemux d) {
        this.demux = d;
    }

    /** @return the factory's protocol */
    String bind(TransportFactory factory, Map<String, ?> properties) {
        return factories.bind(factory, properties);
    }

    /** The factory closes its sockets itself; the listener reopens with its successor when told the socket closed. */
    void unbind(TransportFactory factory) {
        factories.unbind(factory);
    }

    boolean isOpen() {
        return binding != null;
    }

    /** (Re)binds the socket of {@code s} (control thread). */
    void open(ServerSettings s) {
        TransportFactory f = factories.best(s.proto());
        close();
        if (f == null) {
            LOG.info("OpenVPN server {}: waiting for a {} transport (tunnelbus.transport.protocol={}) to listen on {}",
                    pid.get(), s.proto().toUpperCase(Locale.ROOT), s.proto(), ServerSettings.format(s.listen()));
            return;
        }
        TransportBinding b = new TransportBinding(allocator, demux, this);
        try {
            b.transport(f.open(new TransportSpec(s.listen(), null, TRANSPORT_BATCH, 0, 0), b));
        } catch (IOException | RuntimeException e) {
            LOG.error("OpenVPN server {}: cannot listen (properties 'listen'/'port'): {}", pid.get(), e.getMessage());
            return;
        }
        binding = b;
        link.transport(b.transport());
        LOG.info("OpenVPN server {} listening on {} {}", pid.get(), s.proto(), ServerSettings.format(b.transport().localAddress()));
    }

    void close() {
        TransportBinding b = binding;
        binding = null;
        link.transport(null);
        if (b != null && b.transport() != null) {
            b.transport().close();
        }
    }

    /** The open transport, or null. */
    Transport transport() {
        TransportBinding b = binding;
        return b == null ? null : b.transport();
    }

    /** The bound address (port 0 resolved), or null while closed. */
    InetSocketAddress localAddress() {
        Transport t = transport();
        return t == null ? null : t.localAddress();
    }

    // ---- TransportBinding.Events (transport threads): handed to the control thread ----

    @Override
    public void connected(TransportBinding b, InetSocketAddress remote) {
        controlThread.accept(() -> connections.connectionOpened(remote));
    }

    @Override
    public void closed(TransportBinding b, InetSocketAddress remote, String reason) {
        if (remote != null) {
            controlThread.accept(() -> connections.connectionClosed(remote, reason));
            return;
        }
        controlThread.accept(() -> {
            if (binding != b) {
                return; // we closed it ourselves
            }
            binding = null;
            link.transport(null);
            connections.socketLost(reason);
        });
    }
}
