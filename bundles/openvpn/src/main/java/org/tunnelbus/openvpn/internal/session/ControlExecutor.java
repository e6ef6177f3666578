package org.tunnelbus.openvpn.internal.session;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;

/** The one thread that runs a listener's or a client connection's control work: named, daemon, timers removed on cancel. */
public final class ControlExecutor {
    private ControlExecutor() {
    }

    /**
     * @param threadName the thread's name, e.g. {@code tunnelbus-openvpn-control-3}
     * @param created    told the thread when it is made (to recognise it later), or a no-op
     */
    public static ScheduledThreadPoolExecutor create(String threadName, Consumer<Thread> created) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            created.accept(t);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
