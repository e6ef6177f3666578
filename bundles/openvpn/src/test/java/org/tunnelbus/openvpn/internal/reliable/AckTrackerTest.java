package org.tunnelbus.openvpn.internal.reliable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.Opcode;

class AckTrackerTest {
    private static final long PEER = 0x1122334455667788L;
    private final AckTracker acks = new AckTracker();
    private final ControlPacket packet = new ControlPacket().header(Opcode.ACK_V1, 0, 1L);

    private List<Long> fill(int max) {
        acks.fill(packet, max, PEER);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < packet.ackCount(); i++) {
            ids.add(packet.ack(i));
        }
        return ids;
    }

    @Test
    void pendingIdsAreMergedAndCapped() {
        assertTrue(acks.add(5));
        assertTrue(acks.add(5));
        assertEquals(1, acks.pendingCount());
        for (long id = 6; id < 13; id++) {
            assertTrue(acks.add(id));
        }
        assertFalse(acks.add(13)); // 8 pending: the peer will resend 13
    }

    @Test
    void piggybackTakesAtMostFourAndLeavesTheRestPending() {
        for (long id = 0; id < 6; id++) {
            acks.add(id);
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), fill(4));
        assertEquals(PEER, packet.peerSessionId());
        assertEquals(2, acks.pendingCount());
        assertEquals(List.of(4L, 5L, 0L, 1L, 2L, 3L), fill(8)); // fresh ones first, then recent ones again
        assertFalse(acks.hasPending());
    }

    @Test
    void recentAcksAreRepeatedOnLaterPackets() {
        acks.add(0);
        assertEquals(List.of(0L), fill(4));
        assertEquals(List.of(0L), fill(4)); // nothing pending, but the MRU list still rides along
        acks.add(1);
        assertEquals(List.of(1L, 0L), fill(4));
        acks.add(0); // a replay of 0: moves to the front again
        assertEquals(List.of(0L, 1L), fill(4));
    }

    @Test
    void recentListKeepsTheEightNewest() {
        for (long id = 0; id < 10; id++) {
            acks.add(id);
            fill(1);
        }
        assertEquals(List.of(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L), fill(8));
    }

    @Test
    void noAcksMeansNoPeerSessionId() {
        assertEquals(List.of(), fill(8));
        assertEquals(0, packet.peerSessionId());
    }
}
