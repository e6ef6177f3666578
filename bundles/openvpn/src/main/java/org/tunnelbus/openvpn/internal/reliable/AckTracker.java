package org.tunnelbus.openvpn.internal.reliable;

import org.tunnelbus.openvpn.internal.wire.ControlPacket;

/**
 * The ACKs a key state owes its peer (§2.2; {@code reliable.c reliable_ack_acknowledge_packet_id()},
 * {@code reliable_ack_write()}, {@code copy_acks_to_mru()}).
 *
 * <p>ACKs are selective: each received id is acked on its own. Ids not yet sent are <em>pending</em>
 * (at most {@value ControlPacket#MAX_ACKS}, duplicates merged; when full, further ids are not acked and
 * the peer will resend). Every id that has been sent also goes to the front of a most-recently-used list,
 * and every outgoing packet fills its ACK slots from that list, so ACKs are repeated in case they were
 * lost, as stock does.
 */
public final class AckTracker {
    private final long[] pending = new long[ControlPacket.MAX_ACKS];
    private int pendingCount;
    private final long[] recent = new long[ControlPacket.MAX_ACKS];
    private int recentCount;

    /**
     * Remembers that {@code messageId} must be acked.
     *
     * @return false if the id could not be taken because the pending list is full
     */
    public boolean add(long messageId) {
        for (int i = 0; i < pendingCount; i++) {
            if (pending[i] == messageId) {
                return true;
            }
        }
        if (pendingCount == pending.length) {
            return false;
        }
        pending[pendingCount++] = messageId;
        return true;
    }

    /** Whether ACKs wait to be sent (then a dedicated P_ACK_V1 is due if nothing else goes out). */
    public boolean hasPending() {
        return pendingCount > 0;
    }

    public int pendingCount() {
        return pendingCount;
    }

    /**
     * Puts up to {@code max} ACKs into {@code packet}: the pending ones first, then recently sent ones again.
     * Sets the echoed peer session id when any ACK is written.
     *
     * @return the number of ACKs written
     */
    public int fill(ControlPacket packet, int max, long peerSessionId) {
        int fresh = Math.min(pendingCount, max);
        for (int i = fresh - 1; i >= 0; i--) {
            moveToFront(pending[i]);
        }
        System.arraycopy(pending, fresh, pending, 0, pendingCount - fresh);
        pendingCount -= fresh;
        int total = Math.min(max, recentCount);
        packet.clearAcks();
        for (int i = 0; i < total; i++) {
            packet.addAck(recent[i]);
        }
        if (total > 0) {
            packet.peerSessionId(peerSessionId);
        }
        return total;
    }

    /** Moves {@code id} to the front of the recent list, dropping the oldest entry when it is full. */
    private void moveToFront(long id) {
        int at = indexOfRecent(id);
        if (at < 0) {
            at = Math.min(recentCount, recent.length - 1);
            recentCount = Math.min(recentCount + 1, recent.length);
        }
        System.arraycopy(recent, 0, recent, 1, at);
        recent[0] = id;
    }

    private int indexOfRecent(long id) {
        for (int i = 0; i < recentCount; i++) {
            if (recent[i] == id) {
                return i;
            }
        }
        return -1;
    }
}
