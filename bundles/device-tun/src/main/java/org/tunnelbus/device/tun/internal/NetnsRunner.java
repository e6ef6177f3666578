package org.tunnelbus.device.tun.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a task inside a named network namespace ({@code /var/run/netns/NAME}, as {@code ip netns add}
 * makes them) on a short-lived thread of its own: {@code setns(2)} changes only the calling thread, so
 * no other thread of the JVM moves. A {@code /dev/net/tun} file opened by the task belongs to that
 * namespace for its whole life, whichever thread reads it later.
 */
final class NetnsRunner {
    private static final long TIMEOUT_MS = 10_000;

    private NetnsRunner() {
    }

    /** Runs {@code task} in {@code netns} (empty: on the calling thread, in the process's namespace). */
    static <T> T call(String netns, Callable<T> task) throws Exception {
        if (netns.isEmpty()) {
            return task.call();
        }
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                enter(netns);
                result.set(task.call());
            } catch (Exception e) {
                failure.set(e);
            } catch (Throwable e) {
                failure.set(new IllegalStateException(e));
            }
        }, "tunnelbus-netns-" + netns);
        t.setDaemon(true);
        t.start();
        t.join(TIMEOUT_MS);
        if (t.isAlive()) {
            throw new IllegalStateException("task in netns " + netns + " did not finish within " + TIMEOUT_MS + " ms");
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    /** Moves the calling thread into {@code netns} for good; only for threads made for that purpose. */
    static void enter(String netns) {
        Native n = Native.get();
        String path = "/var/run/netns/" + netns;
        int fd = n.libc.open(path, Native.O_RDONLY | Native.O_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("network namespace " + netns + ": open " + path + ": " + n.strerror(n.errno()));
        }
        try {
            if (n.libc.setns(fd, Native.CLONE_NEWNET) != 0) {
                throw new IllegalStateException("network namespace " + netns + ": setns: " + n.strerror(n.errno()));
            }
        } finally {
            n.libc.close(fd);
        }
    }
}
