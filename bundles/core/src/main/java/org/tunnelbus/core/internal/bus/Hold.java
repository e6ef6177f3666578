package org.tunnelbus.core.internal.bus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.Direction;

/**
 * The queue of a slot whose provider went away: packets that reach the slot wait here, in arrival order,
 * for a substitute (or for the grace period to end). See {@link Bus} for the protocol.
 *
 * <p>A hold is <i>open</i> while the slot waits; once the bus resolved it (provider back, or grace over),
 * a drainer takes the packets out with {@link #pollOrSeal()}, which <i>seals</i> the hold when it finds it
 * empty. A packet offered to a sealed hold is refused ({@link #SEALED}) and its thread runs it through
 * the current chain itself. Polling and sealing in one step is what makes "no packet stays behind"
 * hold: an offer either lands before the seal (and a drainer will see it) or is refused.
 *
 * <p>Thread-safe, with a monitor: holds exist only during a swap, never in steady state.
 */
final class Hold {
    static final int HELD = 0;
    static final int FULL = 1;
    static final int SEALED = 2;

    final Direction direction;
    final String name;
    /** Order of the slot when the hold began: where held packets resume if the slot is gone. */
    final int order;
    final long since = System.nanoTime();
    private final int max;
    private final ArrayDeque<Packet> queue = new ArrayDeque<>();
    private boolean sealed;

    Hold(Direction direction, String name, int order, int max) {
        this.direction = direction;
        this.name = name;
        this.order = order;
        this.max = max;
    }

    /** {@link #HELD}, {@link #FULL} (caller drops) or {@link #SEALED} (caller runs the packet on). */
    synchronized int offer(Packet p) {
        if (sealed) {
            return SEALED;
        }
        if (queue.size() >= max) {
            return FULL;
        }
        queue.add(p);
        return HELD;
    }

    /** The oldest held packet, or null after sealing the hold for good. */
    synchronized Packet pollOrSeal() {
        Packet p = queue.poll();
        if (p == null) {
            sealed = true;
        }
        return p;
    }

    /** Seals and takes everything (bus shutdown). */
    synchronized List<Packet> sealAndTakeAll() {
        sealed = true;
        List<Packet> all = new ArrayList<>(queue);
        queue.clear();
        return all;
    }

    synchronized boolean isSealed() {
        return sealed;
    }

    synchronized int size() {
        return queue.size();
    }

    long ageMillis() {
        return (System.nanoTime() - since) / 1_000_000;
    }

    @Override
    public String toString() {
        return "Hold[" + direction.key() + ":" + name + ", " + size() + " packets]";
    }
}
