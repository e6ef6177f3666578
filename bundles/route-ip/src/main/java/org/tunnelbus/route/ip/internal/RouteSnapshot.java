package org.tunnelbus.route.ip.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tunnelbus.api.route.Prefix;
import org.tunnelbus.api.session.Session;

/**
 * An immutable routing table: routes grouped by prefix length, longest first, each group a small
 * open-addressing hash from masked network to session. Lookups walk the lengths that exist (usually
 * one or two: host routes and a few iroutes), so they cost a handful of array reads and no allocation.
 */
final class RouteSnapshot {
    static final RouteSnapshot EMPTY = new RouteSnapshot(Map.of());

    private final Map<Prefix, Session> routes;
    private final Level4[] levels4;
    private final Level6[] levels6;

    RouteSnapshot(Map<Prefix, Session> routes) {
        this.routes = Map.copyOf(routes);
        this.levels4 = buildLevels4(this.routes);
        this.levels6 = buildLevels6(this.routes);
    }

    Map<Prefix, Session> routes() {
        return routes;
    }

    RouteSnapshot with(Prefix prefix, Session session) {
        Map<Prefix, Session> next = new LinkedHashMap<>(routes);
        next.put(prefix, session);
        return new RouteSnapshot(next);
    }

    RouteSnapshot without(Session session) {
        Map<Prefix, Session> next = new LinkedHashMap<>(routes);
        next.values().removeIf(s -> s == session);
        return next.size() == routes.size() ? this : new RouteSnapshot(next);
    }

    Collection<Prefix> routesOf(Session session) {
        List<Prefix> out = new ArrayList<>();
        routes.forEach((p, s) -> {
            if (s == session) {
                out.add(p);
            }
        });
        return out;
    }

    Session lookup4(int address) {
        for (Level4 level : levels4) {
            Session s = level.get(address & level.mask);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    Session lookup6(long hi, long lo) {
        for (Level6 level : levels6) {
            Session s = level.get(hi & level.maskHi, lo & level.maskLo);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    private static Level4[] buildLevels4(Map<Prefix, Session> routes) {
        Map<Integer, Map<Integer, Session>> byLength = new java.util.TreeMap<>(Comparator.reverseOrder());
        routes.forEach((p, s) -> {
            if (p.isIpv4()) {
                byLength.computeIfAbsent(p.length(), k -> new LinkedHashMap<>()).put(p.network4(), s);
            }
        });
        List<Level4> levels = new ArrayList<>();
        byLength.forEach((len, entries) -> levels.add(new Level4(len, entries)));
        return levels.toArray(new Level4[0]);
    }

    private static Level6[] buildLevels6(Map<Prefix, Session> routes) {
        Map<Integer, Map<Prefix, Session>> byLength = new java.util.TreeMap<>(Comparator.reverseOrder());
        routes.forEach((p, s) -> {
            if (!p.isIpv4()) {
                byLength.computeIfAbsent(p.length(), k -> new LinkedHashMap<>()).put(p, s);
            }
        });
        List<Level6> levels = new ArrayList<>();
        byLength.forEach((len, entries) -> levels.add(new Level6(len, entries)));
        return levels.toArray(new Level6[0]);
    }

    /** Table size: a power of two at least twice the entry count, so probes stay short. */
    private static int tableSize(int entries) {
        return Integer.highestOneBit(Math.max(2, entries) * 2) << 1;
    }

    /** All IPv4 routes of one prefix length. */
    private static final class Level4 {
        final int mask;
        final int[] keys;
        final Session[] values;

        Level4(int length, Map<Integer, Session> entries) {
            mask = length == 0 ? 0 : -1 << (32 - length);
            int size = tableSize(entries.size());
            keys = new int[size];
            values = new Session[size];
            entries.forEach(this::put);
        }

        private void put(int key, Session value) {
            int i = slot(key);
            while (values[i] != null && keys[i] != key) {
                i = (i + 1) & (keys.length - 1);
            }
            keys[i] = key;
            values[i] = value;
        }

        Session get(int key) {
            int i = slot(key);
            Session s;
            while ((s = values[i]) != null) {
                if (keys[i] == key) {
                    return s;
                }
                i = (i + 1) & (keys.length - 1);
            }
            return null;
        }

        private int slot(int key) {
            return (key * 0x9E3779B9 >>> 7) & (keys.length - 1);
        }
    }

    /** All IPv6 routes of one prefix length. */
    private static final class Level6 {
        final long maskHi;
        final long maskLo;
        final long[] hi;
        final long[] lo;
        final Session[] values;

        Level6(int length, Map<Prefix, Session> entries) {
            maskHi = length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
            maskLo = length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
            int size = tableSize(entries.size());
            hi = new long[size];
            lo = new long[size];
            values = new Session[size];
            entries.forEach((p, s) -> put(p.networkHi(), p.networkLo(), s));
        }

        private void put(long h, long l, Session value) {
            int i = slot(h, l);
            while (values[i] != null && !(hi[i] == h && lo[i] == l)) {
                i = (i + 1) & (values.length - 1);
            }
            hi[i] = h;
            lo[i] = l;
            values[i] = value;
        }

        Session get(long h, long l) {
            int i = slot(h, l);
            Session s;
            while ((s = values[i]) != null) {
                if (hi[i] == h && lo[i] == l) {
                    return s;
                }
                i = (i + 1) & (values.length - 1);
            }
            return null;
        }

        private int slot(long h, long l) {
            long x = (h ^ Long.rotateLeft(l, 29)) * 0x9E3779B97F4A7C15L;
            return (int) (x >>> 40) & (values.length - 1);
        }
    }
}
