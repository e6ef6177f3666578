package org.tunnelbus.openvpn.internal.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.api.transport.TransportFactory;
import org.tunnelbus.api.transport.TransportSpec;
import org.tunnelbus.openvpn.internal.link.TransportBinding;

/**
 * Opens a client connection's socket off its control thread: resolving the server and, over TCP, connecting take as
 * long as DNS and {@code connect.timeout} allow (stock {@code --connect-timeout}, 120 s), and meanwhile the control
 * thread must stay free for a reconfiguration or a stop. One attempt at a time; {@link #cancel()} (or a newer
 * attempt) makes the result of an older one void, and its socket is closed. {@code open}, {@code cancel} and the
 * callbacks run on the control thread.
 */
final class TransportOpener {
    /** What an attempt gave: the resolved server and the open transport, or why not. */
    record Opened(InetSocketAddress server, Transport transport, String problem) {
        static Opened failed(String problem) {
            return new Opened(null, null, problem);
        }

        void close() {
            if (transport != null) {
                transport.close();
            }
        }
    }

    private static final int BATCH = 64;

    private final ExecutorService pool;
    private volatile boolean closed;
    private int attempt;
    private Future<?> running;

    TransportOpener(String name) {
        pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tunnelbus-" + name + "-connect");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code work} on the opener's thread, then {@code then} with its result through {@code back}. */
    void open(Supplier<Opened> work, Consumer<Opened> then, Consumer<Runnable> back) {
        int id = ++attempt;
        running = pool.submit(() -> {
            Opened o = work.get();
            if (closed) {
                o.close();
                return;
            }
            back.accept(() -> {
                if (id != attempt) {
                    o.close(); // cancelled or superseded while it connected
                    return;
                }
                running = null;
                then.accept(o);
            });
        });
    }

    /** Whether an attempt is under way. */
    boolean busy() {
        return running != null;
    }

    /** Voids the attempt under way (its socket is closed when it ends; a blocking connect is interrupted). */
    void cancel() {
        attempt++;
        if (running != null) {
            running.cancel(true);
            running = null;
        }
    }

    /**
     * Resolves the server (again at every attempt, as stock) and opens the socket (TCP: connects, for up to
     * connect.timeout). Runs on the opener's thread.
     *
     * @param factory the socket module of the client's protocol, or null if none runs
     */
    static Opened connect(TransportFactory factory, ClientSettings s, RemoteList.Remote remote, TransportBinding binding) {
        String protocol = s.proto().transport();
        if (factory == null) {
            return Opened.failed("no " + protocol.toUpperCase(Locale.ROOT) + " transport is running ("
                    + TransportFactory.PROTOCOL + "=" + protocol + ")");
        }
        try {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(remote.host()), remote.port());
            InetSocketAddress local = new InetSocketAddress(InetAddress.getByName(s.local()), s.localPort());
            binding.transport(factory.open(new TransportSpec(local, to, BATCH, 0, 0, s.connectTimeoutMillis()), binding));
            return new Opened(to, binding.transport(), null);
        } catch (UnknownHostException e) {
            return Opened.failed("cannot resolve '" + remote.host() + "' (property 'remote')");
        } catch (IOException | RuntimeException e) {
            return Opened.failed(e.getMessage());
        }
    }

    void shutdown() {
        closed = true;
        pool.shutdownNow();
    }
}
