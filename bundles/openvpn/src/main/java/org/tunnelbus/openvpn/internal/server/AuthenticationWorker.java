package org.tunnelbus.openvpn.internal.server;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.tunnelbus.api.auth.AuthResult;

/**
 * Runs authentication off the listener's control thread. Password hashes (argon2id, bcrypt) take tens of
 * milliseconds by design; on the control thread a burst of logins, or a password-guessing flood, would hold up the
 * retransmissions, keepalives and renegotiations of every connected client. A small pool with a bounded queue:
 * when it is full a login is refused at once ("too many logins in progress") instead of waiting without limit.
 * The verdict is handed back to the control thread.
 */
final class AuthenticationWorker {
    static final int THREADS = 2;
    static final int QUEUE = 128;

    private final ThreadPoolExecutor pool;

    AuthenticationWorker(String name) {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "tunnelbus-" + name + "-auth-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code check} on the pool, then {@code then} with its verdict through {@code back} (the control thread).
     * When the queue is full, {@code then} gets a refusal right away, on the caller's thread.
     */
    void submit(Supplier<AuthResult> check, Consumer<AuthResult> then, Consumer<Runnable> back) {
        try {
            pool.execute(() -> {
                AuthResult verdict;
                try {
                    verdict = check.get();
                } catch (RuntimeException e) {
                    verdict = AuthResult.refuse("authentication failed: " + e);
                }
                AuthResult v = verdict;
                back.accept(() -> then.accept(v));
            });
        } catch (RejectedExecutionException e) {
            then.accept(AuthResult.refuse(pool.isShutdown() ? "server stopping"
                    : "too many logins in progress (" + QUEUE + " waiting); refused at once"));
        }
    }

    void shutdown() {
        pool.shutdownNow();
    }
}
