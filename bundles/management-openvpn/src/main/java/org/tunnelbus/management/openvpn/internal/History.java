package org.tunnelbus.management.openvpn.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A bounded history of timestamped lines (the log cache, the state history, the echo buffer of stock OpenVPN's
 * management interface), with listeners for the real-time notifications. Thread-safe; listeners are called
 * outside the lock, on the adding thread.
 */
final class History {
    /** One line: unix seconds and the text after the time ({@code I,message}, {@code CONNECTED,SUCCESS,...}). */
    record Entry(long unixTime, String text) {
        /** {@code TIME,TEXT}, as history lines and real-time notifications print it. */
        String line() {
            return unixTime + "," + text;
        }
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final List<Consumer<Entry>> listeners = new CopyOnWriteArrayList<>();

    History(int capacity) {
        this.capacity = capacity;
    }

    void add(Entry e) {
        synchronized (entries) {
            if (entries.size() == capacity) {
                entries.removeFirst();
            }
            entries.addLast(e);
        }
        for (Consumer<Entry> l : listeners) {
            l.accept(e);
        }
    }

    /** The last {@code n} entries, oldest first; all for n &lt; 0. */
    List<Entry> last(int n) {
        synchronized (entries) {
            List<Entry> all = new ArrayList<>(entries);
            return n < 0 || n >= all.size() ? all : all.subList(all.size() - n, all.size());
        }
    }

    /** The newest entry, or null. */
    Entry latest() {
        synchronized (entries) {
            return entries.peekLast();
        }
    }

    void listen(Consumer<Entry> l) {
        listeners.add(l);
    }

    void unlisten(Consumer<Entry> l) {
        listeners.remove(l);
    }
}
