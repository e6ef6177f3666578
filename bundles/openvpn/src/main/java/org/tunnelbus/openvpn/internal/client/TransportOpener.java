package org.tunnelbus.openvpn.internal.client;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.tunnelbus.api.transport.Transport;

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

    void shutdown() {
        closed = true;
        pool.shutdownNow();
    }
}
