package org.tunnelbus.api.packet;

/**
 * A reusable, fixed-capacity array of packets: the unit in which devices and transports read and
 * write, so that one system call and one chain-snapshot read serve many packets.
 *
 * <p>Owned by one thread at a time; created once per I/O thread and reused. Adding a packet to a batch
 * that is passed on passes the packet's ownership with it.
 */
public final class PacketBatch {
    private final Packet[] packets;
    private int size;

    public PacketBatch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        packets = new Packet[capacity];
    }

    public int capacity() {
        return packets.length;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean isFull() {
        return size == packets.length;
    }

    public Packet get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        return packets[index];
    }

    /** Replaces the packet at {@code index} (e.g. with null after a stage took it). */
    public void set(int index, Packet packet) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        packets[index] = packet;
    }

    public void add(Packet packet) {
        if (size == packets.length) {
            throw new IllegalStateException("batch full (" + packets.length + ")");
        }
        packets[size++] = packet;
    }

    /** Forgets the packets without releasing them (their ownership went elsewhere). */
    public void clear() {
        for (int i = 0; i < size; i++) {
            packets[i] = null;
        }
        size = 0;
    }

    /** Releases every packet still in the batch and empties it. */
    public void releaseAll() {
        for (int i = 0; i < size; i++) {
            Packet p = packets[i];
            if (p != null) {
                p.release();
            }
            packets[i] = null;
        }
        size = 0;
    }

    /** Keeps the first {@code newSize} packets; the caller owns the ones dropped from the view. */
    public void truncate(int newSize) {
        for (int i = newSize; i < size; i++) {
            packets[i] = null;
        }
        size = Math.min(size, newSize);
    }
}
