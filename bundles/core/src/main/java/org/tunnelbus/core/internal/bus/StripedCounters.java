package org.tunnelbus.core.internal.bus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hands out dense counter indices and keeps one {@link Worker} per thread that runs packets through the
 * bus. A counter's value is the sum of every worker's stripe plus what threads that died left behind.
 *
 * <p>Writers never contend (each writes its own stripe); readers ({@link #sum()}) take a lock and are not
 * meant for the data path.
 */
final class StripedCounters {
    private final ThreadLocal<Worker> local = ThreadLocal.withInitial(this::register);
    private final List<Worker> workers = new ArrayList<>();
    private long[] retired = new long[16];
    private volatile int span;

    /** The calling thread's worker (one ThreadLocal lookup). */
    Worker worker() {
        return local.get();
    }

    /** Reserves {@code n} consecutive counters and returns the first index. */
    synchronized int allocate(int n) {
        int first = span;
        span = first + n;
        return first;
    }

    /** Number of counters handed out so far. */
    int span() {
        return span;
    }

    private synchronized Worker register() {
        foldDead();
        Worker w = new Worker(Thread.currentThread(), span);
        workers.add(w);
        return w;
    }

    /** Every counter summed over all threads, indexed as allocated. */
    synchronized long[] sum() {
        foldDead();
        long[] out = Arrays.copyOf(retired, Math.max(span, retired.length));
        for (Worker w : workers) {
            for (int i = 0; i < out.length; i++) {
                out[i] += w.read(i);
            }
        }
        return out;
    }

    /** Threads that ended keep their counts: folded into {@link #retired}. */
    private void foldDead() {
        for (int k = workers.size() - 1; k >= 0; k--) {
            Worker w = workers.get(k);
            if (!w.owner.isAlive()) {
                if (retired.length < span) {
                    retired = Arrays.copyOf(retired, span);
                }
                for (int i = 0; i < retired.length; i++) {
                    retired[i] += w.read(i);
                }
                workers.remove(k);
            }
        }
    }
}
