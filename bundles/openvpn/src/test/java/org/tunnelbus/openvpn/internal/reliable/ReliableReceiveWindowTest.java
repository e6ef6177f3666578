package org.tunnelbus.openvpn.internal.reliable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.reliable.ReliableReceiveWindow.Verdict;
import org.tunnelbus.openvpn.internal.wire.Opcode;

/** §2.2 receiving side. */
class ReliableReceiveWindowTest {
    private final ReliableReceiveWindow window = new ReliableReceiveWindow();

    private Verdict offer(long id) {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {0, (byte) id});
        return window.offer(id, Opcode.CONTROL_V1, b, 1, 1);
    }

    @Test
    void deliversInOrderWhateverTheArrivalOrder() {
        assertEquals(Verdict.STORED, offer(2));
        assertEquals(Verdict.STORED, offer(1));
        assertNull(window.poll());
        assertEquals(Verdict.STORED, offer(0));
        for (int id = 0; id < 3; id++) {
            ReceivedMessage m = window.poll();
            assertEquals(id, m.messageId());
            assertArrayEquals(new byte[] {(byte) id}, m.payload());
        }
        assertNull(window.poll());
        assertEquals(3, window.nextExpected());
    }

    @Test
    void duplicatesAndOldIdsAreReplaysThatGetAckedAgain() {
        offer(0);
        assertEquals(Verdict.REPLAY, offer(0));
        window.poll();
        assertEquals(Verdict.REPLAY, offer(0));
        assertEquals(true, Verdict.REPLAY.acked());
    }

    /** reliable_wont_break_sequentiality(): next + 11 is the last storable id; beyond is not even acked. */
    @Test
    void nothingBeyondTwelveAhead() {
        assertEquals(Verdict.STORED, offer(11));
        assertEquals(Verdict.BEYOND_WINDOW, offer(12));
        assertEquals(false, Verdict.BEYOND_WINDOW.acked());
        for (int id = 0; id <= 10; id++) {
            offer(id);
        }
        assertEquals(12, window.buffered());
        for (int id = 0; id <= 11; id++) {
            window.poll();
        }
        assertEquals(Verdict.STORED, offer(12));
        assertEquals(Verdict.STORED, offer(23));
        assertEquals(Verdict.BEYOND_WINDOW, offer(24));
    }

    @Test
    void emptyPayloadsAreFine() {
        assertEquals(Verdict.STORED, window.offer(0, Opcode.HARD_RESET_CLIENT_V2, null, 0, 0));
        assertEquals(0, window.poll().payload().length);
    }

    @Test
    void skipToStartsAfterTheStatelessReset() {
        window.skipTo(1);
        assertEquals(Verdict.REPLAY, offer(0));
        assertEquals(Verdict.STORED, offer(1));
        assertEquals(1, window.poll().messageId());
    }
}
