package org.tunnelbus.openvpn.internal.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.ReferenceVectors;

/** §3.2. */
class PeerInfoTest {
    @Test
    void parsesTheCapturedStockClientPeerInfo() {
        PeerInfo info = PeerInfo.parse(ReferenceVectors.CAPTURE_PEER_INFO);
        assertEquals("2.6.14", info.get(PeerInfo.IV_VER));
        assertEquals("linux", info.get(PeerInfo.IV_PLAT));
        assertEquals(990, info.ivProto());
        assertEquals(2, info.ncpVersion());
        assertEquals(List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305"), info.ciphers());
        assertTrue(info.hasCipherList());
        assertTrue(info.has(IvProtoFlag.TLS_KEY_EXPORT));
        assertFalse(info.has(IvProtoFlag.NCP_P2P));
        assertEquals(10, info.variables().size());
        assertEquals(ReferenceVectors.CAPTURE_PEER_INFO, info.encode());
    }

    /** A 2.6 pull client: 2+4+8+16+64+128+256+512 = 990. */
    @Test
    void ivProto990IsTheFullPullClientSet() {
        assertEquals(EnumSet.complementOf(EnumSet.of(IvProtoFlag.NCP_P2P, IvProtoFlag.PUSH_UPDATE)), IvProtoFlag.decode(990));
        assertEquals(990, IvProtoFlag.encode(EnumSet.complementOf(EnumSet.of(IvProtoFlag.NCP_P2P, IvProtoFlag.PUSH_UPDATE))));
        assertEquals(990 | 4096, IvProtoFlag.encode(EnumSet.complementOf(EnumSet.of(IvProtoFlag.NCP_P2P))), "2.7 adds PUSH_UPDATE");
        assertEquals(6, IvProtoFlag.encode(EnumSet.of(IvProtoFlag.DATA_V2, IvProtoFlag.REQUEST_PUSH)));
    }

    @Test
    void anyBitNeedsDataV2() {
        assertThrows(IllegalArgumentException.class, () -> IvProtoFlag.encode(EnumSet.of(IvProtoFlag.TLS_KEY_EXPORT)));
        assertEquals(0, IvProtoFlag.encode(EnumSet.noneOf(IvProtoFlag.class)));
    }

    @Test
    void garbageValuesReadAsStockReadsThem() {
        assertEquals(0, PeerInfo.parse("IV_PROTO=abc\n").ivProto());
        assertEquals(0, PeerInfo.parse("IV_PROTO=-6\n").ivProto());
        assertEquals(12, PeerInfo.parse("IV_PROTO=12xyz\n").ivProto());
        assertEquals(0, PeerInfo.parse("IV_PROTO=99999999999\n").ivProto());
        assertEquals(0, PeerInfo.parse(null).ivProto());
        assertEquals(List.of(), PeerInfo.parse("IV_VER=1\n").ciphers());
        assertNull(PeerInfo.parse("garbage\n=x\n").get(""));
    }

    @Test
    void firstOccurrenceWinsAndCarriageReturnsAreStripped() {
        PeerInfo info = PeerInfo.parse("IV_NCP=2\r\nIV_NCP=0\nIV_GUI_VER=a=b\n");
        assertEquals(2, info.ncpVersion());
        assertEquals("a=b", info.get("IV_GUI_VER"));
    }

    @Test
    void builderWritesInOrder() {
        PeerInfo info = PeerInfo.builder().put(PeerInfo.IV_VER, "tunnelbus-0.1").put(PeerInfo.IV_PLAT, "linux")
                .put(PeerInfo.IV_PROTO, "2").put(PeerInfo.IV_CIPHERS, "AES-256-GCM:AES-128-GCM").build();
        assertEquals("IV_VER=tunnelbus-0.1\nIV_PLAT=linux\nIV_PROTO=2\nIV_CIPHERS=AES-256-GCM:AES-128-GCM\n",
                info.encode());
        assertThrows(IllegalArgumentException.class, () -> PeerInfo.builder().put("A=B", "x"));
        assertThrows(IllegalArgumentException.class, () -> PeerInfo.builder().put("A", "x\ny"));
    }
}
