package org.tunnelbus.openvpn.internal.reliable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.wire.Opcode;

/** §2.2 sending side. */
class ReliableSendWindowTest {
    private final ReliableSendWindow window = new ReliableSendWindow();

    private long queue() {
        return window.queue(Opcode.CONTROL_V1, ByteBuffer.wrap(new byte[] {1, 2, 3}));
    }

    @Test
    void messageIdsStartAtZeroAndIncrease() {
        assertEquals(0, window.queue(Opcode.HARD_RESET_CLIENT_V2, ByteBuffer.allocate(0)));
        assertEquals(1, queue());
        assertEquals(2, queue());
        assertEquals(3, window.nextMessageId());
    }

    @Test
    void atMostSixInFlight() {
        for (int i = 0; i < 6; i++) {
            assertTrue(window.canQueue());
            queue();
        }
        assertFalse(window.canQueue());
        assertThrows(IllegalStateException.class, this::queue);
        window.acknowledge(0);
        assertTrue(window.canQueue());
        assertEquals(6, queue());
    }

    /** reliable_get_buf_output_sequenced(): an unacked old id blocks new ones even with free slots. */
    @Test
    void anUnackedOldMessageBlocksTheWindow() {
        for (int i = 0; i < 6; i++) {
            queue();
        }
        for (int id = 1; id < 6; id++) {
            window.acknowledge(id);
        }
        assertEquals(1, window.inFlight());
        assertFalse(window.canQueue()); // next id 6 is 6 ahead of the oldest (0)
        window.acknowledge(0);
        assertTrue(window.canQueue());
    }

    /** Sent at once, then after 2 s, then 4 s, 8 s ... (--tls-timeout 2, doubling). */
    @Test
    void retransmitsWithDoublingTimeout() {
        queue();
        assertEquals(0, window.nextDue(0).messageId());
        assertNull(window.nextDue(1999));
        assertEquals(2000, window.nextDueTime());
        assertEquals(0, window.nextDue(2000).messageId());
        assertNull(window.nextDue(5999));
        assertEquals(0, window.nextDue(6000).messageId());
        assertEquals(14_000, window.nextDueTime());
        window.acknowledge(0);
        assertNull(window.nextDue(100_000));
        assertEquals(Long.MAX_VALUE, window.nextDueTime());
        assertTrue(window.isEmpty());
    }

    @Test
    void initialTimeoutIsConfigurable() {
        ReliableSendWindow w = new ReliableSendWindow(6, 500);
        w.queue(Opcode.CONTROL_V1, ByteBuffer.allocate(1));
        w.nextDue(0);
        assertEquals(500, w.nextDueTime());
    }

    /** N_ACK_RETRANSMIT: three ACKs for later ids resend at once. */
    @Test
    void threeLaterAcksTriggerAnImmediateResend() {
        for (int i = 0; i < 5; i++) {
            queue();
        }
        for (int i = 0; i < 5; i++) {
            window.nextDue(0);
        }
        assertNull(window.nextDue(10));
        window.acknowledge(1);
        window.acknowledge(2);
        assertNull(window.nextDue(10));
        window.acknowledge(3);
        ReliableSendWindow.Entry e = window.nextDue(10);
        assertEquals(0, e.messageId());
        assertNull(window.nextDue(10)); // its counter was reset by the resend
        assertEquals(4, window.nextDue(2000).messageId()); // 1..3 are acked; 0 was resent at 10 with 4 s
        assertNull(window.nextDue(4009));
        assertEquals(0, window.nextDue(4010).messageId());
    }

    @Test
    void lowestDueIdGoesFirst() {
        queue();
        queue();
        queue();
        assertEquals(0, window.nextDue(0).messageId());
        assertEquals(1, window.nextDue(0).messageId());
        assertEquals(2, window.nextDue(0).messageId());
    }

    @Test
    void acksForUnknownIdsAreHarmless() {
        queue();
        window.acknowledge(77);
        window.acknowledge(0);
        window.acknowledge(0);
        assertTrue(window.isEmpty());
    }

    @Test
    void payloadIsCopied() {
        byte[] data = {9, 8, 7};
        window.queue(Opcode.CONTROL_V1, ByteBuffer.wrap(data));
        data[0] = 0;
        ByteBuffer p = window.nextDue(0).payload();
        assertEquals(9, p.get(0));
        assertEquals(3, p.remaining());
        assertTrue(p.isReadOnly());
    }

    @Test
    void skipToContinuesAfterAStatelessReset() {
        window.skipTo(1);
        assertEquals(1, queue());
        assertThrows(IllegalStateException.class, () -> window.skipTo(5));
        assertThrows(IllegalArgumentException.class, () -> window.queue(Opcode.ACK_V1, ByteBuffer.allocate(0)));
    }
}
