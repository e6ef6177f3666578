package org.tunnelbus.e2e.harness;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a test created (namespaces, processes, files), closed in reverse order of creation: by the test class
 * ({@link #close()} in {@code @AfterAll}, or try-with-resources) and, if the JVM ends first (failsafe timeout,
 * Ctrl-C), by a shutdown hook. Closing is idempotent and never throws: every resource is tried.
 */
public final class Cleanup implements AutoCloseable {
    private static final Deque<Cleanup> LIVE = new ArrayDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::closeAllLive, "e2e-cleanup"));
    }

    private final String owner;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private boolean closed;

    public Cleanup(String owner) {
        this.owner = owner;
        synchronized (LIVE) {
            LIVE.push(this);
        }
    }

    /** Registers {@code resource} to be closed with this scope; returns it. */
    public synchronized <T extends AutoCloseable> T add(T resource) {
        if (closed) {
            closeQuietly(resource);
            throw new IllegalStateException(owner + ": cleanup already ran");
        }
        resources.push(resource);
        return resource;
    }

    /** Runs {@code action} with this scope's resources. */
    public void addAction(String what, Runnable action) {
        add(new AutoCloseable() {
            @Override
            public void close() {
                action.run();
            }

            @Override
            public String toString() {
                return what;
            }
        });
    }

    @Override
    public void close() {
        Deque<AutoCloseable> todo;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            todo = new ArrayDeque<>(resources);
            resources.clear();
        }
        for (AutoCloseable r : todo) {
            closeQuietly(r);
        }
        synchronized (LIVE) {
            LIVE.remove(this);
        }
    }

    private void closeQuietly(AutoCloseable r) {
        try {
            r.close();
        } catch (Exception | Error e) {
            System.err.println("[e2e] " + owner + ": cleanup of " + r + " failed: " + e);
        }
    }

    private static void closeAllLive() {
        Cleanup[] all;
        synchronized (LIVE) {
            all = LIVE.toArray(new Cleanup[0]);
        }
        for (Cleanup c : all) {
            System.err.println("[e2e] shutdown hook: cleaning up " + c.owner);
            c.close();
        }
    }
}
