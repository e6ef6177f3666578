package org.tunnelbus.openvpn.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;
import org.tunnelbus.openvpn.internal.ReferenceVectors;

class DataPacketHeaderTest {

    @Test
    void capturedPingHasV2HeaderWithPeerIdZero() {
        ByteBuffer ping = Hex.buffer(ReferenceVectors.CAPTURE_C2S_PING);
        assertNull(DataPacketHeader.check(ping, 0, ping.remaining()));
        assertEquals(Opcode.DATA_V2, HeaderByte.opcode(ping.get(0)));
        assertEquals(0, DataPacketHeader.peerId(ping, 0));
    }

    @Test
    void writesV2WithTwentyFourBitPeerId() {
        ByteBuffer buf = ByteBuffer.allocate(6);
        DataPacketHeader.writeV2(buf, 1, 3, 0xABCDEF);
        assertEquals("004babcdef00", Hex.of(buf));
        assertEquals(0xABCDEF, DataPacketHeader.peerId(buf, 1));
        assertThrows(IllegalArgumentException.class, () -> DataPacketHeader.writeV2(buf, 0, 0, 0x1000000));
        assertThrows(IllegalArgumentException.class, () -> DataPacketHeader.writeV2(buf, 0, 0, -1));
    }

    @Test
    void writesV1() {
        ByteBuffer buf = ByteBuffer.allocate(1);
        DataPacketHeader.writeV1(buf, 0, 2);
        assertEquals("32", Hex.of(buf));
        assertEquals(DataPacketHeader.V1_LENGTH, DataPacketHeader.length(Opcode.DATA_V1));
    }

    @Test
    void checkRefusesShortAndNonDataPackets() {
        assertEquals(DropReason.TOO_SHORT, DataPacketHeader.check(ByteBuffer.allocate(0), 0, 0));
        assertEquals(DropReason.TOO_SHORT, DataPacketHeader.check(Hex.buffer("480000"), 0, 3));
        assertEquals(DropReason.NOT_DATA, DataPacketHeader.check(Hex.buffer("38"), 0, 1));
        assertEquals(DropReason.UNKNOWN_OPCODE, DataPacketHeader.check(Hex.buffer("f8"), 0, 1));
        assertNull(DataPacketHeader.check(Hex.buffer("30"), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> DataPacketHeader.length(Opcode.ACK_V1));
    }
}
