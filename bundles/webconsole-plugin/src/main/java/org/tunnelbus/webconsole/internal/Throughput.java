package org.tunnelbus.webconsole.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.tunnelbus.api.session.Session;

/**
 * Each session's byte counters, sampled every {@value #PERIOD_MS} ms for the last {@value #SAMPLES} samples (five
 * minutes): its current rate and its throughput graph. Sampling runs on the page's scheduler; reads come from
 * request threads.
 */
final class Throughput {
    static final long PERIOD_MS = 2000;
    static final int SAMPLES = 150;

    /** One rate point: when, and bytes per second each way since the sample before. */
    record Point(long atMillis, double inPerSecond, double outPerSecond) {
    }

    private record Sample(long atMillis, long in, long out) {
    }

    private final Map<Long, Deque<Sample>> samples = new ConcurrentHashMap<>();

    /** Takes one sample of every session; forgets sessions that are gone. */
    void sample(Collection<Session> sessions, long now) {
        Set<Long> live = new HashSet<>();
        for (Session s : sessions) {
            live.add(s.id());
            Deque<Sample> d = samples.computeIfAbsent(s.id(), k -> new ArrayDeque<>());
            synchronized (d) {
                if (d.size() == SAMPLES + 1) {
                    d.removeFirst();
                }
                d.addLast(new Sample(now, s.bytesIn(), s.bytesOut()));
            }
        }
        samples.keySet().retainAll(live);
    }

    /** The rate points of a session, oldest first (one fewer than its samples). */
    List<Point> history(long sessionId) {
        Deque<Sample> d = samples.get(sessionId);
        List<Point> out = new ArrayList<>();
        if (d == null) {
            return out;
        }
        List<Sample> copy;
        synchronized (d) {
            copy = new ArrayList<>(d);
        }
        for (int i = 1; i < copy.size(); i++) {
            Sample a = copy.get(i - 1);
            Sample b = copy.get(i);
            double seconds = Math.max(0.001, (b.atMillis() - a.atMillis()) / 1000.0);
            out.add(new Point(b.atMillis(), Math.max(0, b.in() - a.in()) / seconds, Math.max(0, b.out() - a.out()) / seconds));
        }
        return out;
    }

    /** The latest rate point of a session, or a zero point. */
    Point current(long sessionId) {
        List<Point> h = history(sessionId);
        return h.isEmpty() ? new Point(0, 0, 0) : h.get(h.size() - 1);
    }
}
