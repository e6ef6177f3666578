package org.tunnelbus.openvpn.internal.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tunnelbus.api.crypto.DataChannelCipher;
import org.tunnelbus.openvpn.internal.Hex;
import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.crypto.ReplayWindow;
import org.tunnelbus.openvpn.internal.wire.DropReason;

import static org.tunnelbus.openvpn.internal.ReferenceVectors.*;

/** §6.1, §6.3, §6.5 with the captured pings of §8.2. */
class DataChannelTest {
    private static final long NOW = 1_795_598_500L;
    private final JceDataChannelCipherFactory factory = new JceDataChannelCipherFactory();

    private DataPacketOpener opener(String key, String iv) {
        return new DataPacketOpener(factory.create("AES-256-GCM", Hex.bytes(key), Hex.bytes(iv), false),
                new ReplayWindow());
    }

    /** Opens the captured ping in place and returns the plaintext. */
    private static String open(DataPacketOpener opener, ByteBuffer packet) {
        DropReason r = opener.open(packet, 0, packet.capacity(), NOW);
        if (r != null) {
            return r.counterName();
        }
        int at = opener.payloadOffset(packet, 0);
        byte[] plain = new byte[opener.payloadLength(packet, 0, packet.capacity())];
        packet.get(at, plain);
        return Hex.of(plain);
    }

    @Test
    void capturedPingsDecryptToThePingMagic() {
        ByteBuffer c2s = Hex.buffer(CAPTURE_C2S_PING);
        assertEquals(PING_MAGIC, open(opener(CAPTURE_C2S_KEY, CAPTURE_C2S_IV), c2s));
        assertTrue(KeepalivePing.isPing(c2s, 24, 16));
        assertEquals(40, c2s.capacity()); // 4 + 4 + 16 + 16
        assertEquals(PING_MAGIC, open(opener(CAPTURE_S2C_KEY, CAPTURE_S2C_IV), Hex.buffer(CAPTURE_S2C_PING)));
    }

    @Test
    void aCapturedPingIsAcceptedOnce() {
        DataPacketOpener opener = opener(CAPTURE_C2S_KEY, CAPTURE_C2S_IV);
        assertEquals(PING_MAGIC, open(opener, Hex.buffer(CAPTURE_C2S_PING)));
        assertEquals("replay", open(opener, Hex.buffer(CAPTURE_C2S_PING)));
    }

    @Test
    void theWrongDirectionOrAnyFlippedByteFails() {
        assertEquals("decrypt-failed", open(opener(CAPTURE_S2C_KEY, CAPTURE_S2C_IV), Hex.buffer(CAPTURE_C2S_PING)));
        byte[] wire = Hex.bytes(CAPTURE_C2S_PING);
        for (int i = 0; i < wire.length; i++) {
            byte[] bad = wire.clone();
            bad[i] ^= (byte) (i == 0 ? 0x08 : 0x01); // byte 0: flip an opcode bit so it stays a known opcode
            String r = open(opener(CAPTURE_C2S_KEY, CAPTURE_C2S_IV), ByteBuffer.wrap(bad));
            assertFalse(r.equals(PING_MAGIC), "byte " + i);
        }
    }

    /** AES-GCM is deterministic for a given packet id: sealing the ping reproduces the captured bytes. */
    @Test
    void sealingReproducesTheCapturedPings() {
        assertEquals(Hex.of(Hex.bytes(CAPTURE_C2S_PING)), sealPing(CAPTURE_C2S_KEY, CAPTURE_C2S_IV, 1));
        assertEquals(Hex.of(Hex.bytes(CAPTURE_S2C_PING)), sealPing(CAPTURE_S2C_KEY, CAPTURE_S2C_IV, 0));
    }

    private String sealPing(String key, String iv, long lastId) {
        DataChannelCipher cipher = factory.create("AES-256-GCM", Hex.bytes(key), Hex.bytes(iv), true);
        DataPacketSealer sealer = DataPacketSealer.v2(cipher, 0, 0, PacketIdCounter.shortFormAfter(lastId));
        ByteBuffer buf = ByteBuffer.allocate(100);
        int payloadAt = 30;
        KeepalivePing.write(buf, payloadAt);
        int start = sealer.seal(buf, payloadAt, KeepalivePing.LENGTH);
        assertEquals(payloadAt - 24, start);
        byte[] packet = new byte[sealer.overhead() + KeepalivePing.LENGTH];
        buf.get(start, packet);
        return Hex.of(packet);
    }

    @ParameterizedTest(name = "{0} {1} direct={2}")
    @CsvSource({
        "AES-128-GCM, v2, false", "AES-128-GCM, v1, true", "AES-256-GCM, v2, true", "AES-256-GCM, v1, false",
        "CHACHA20-POLY1305, v2, false", "CHACHA20-POLY1305, v1, true", "CHACHA20-POLY1305, v2, true"})
    void roundTrips(String cipherName, String version, boolean direct) {
        AeadAlgorithm alg = AeadAlgorithm.ofName(cipherName);
        Random random = new Random(cipherName.hashCode());
        byte[] key = new byte[alg.keyLength()];
        byte[] iv = new byte[8];
        random.nextBytes(key);
        random.nextBytes(iv);
        PacketIdCounter ids = PacketIdCounter.shortForm();
        DataChannelCipher enc = factory.create(cipherName, key, iv, true);
        DataPacketSealer sealer = version.equals("v2") ? DataPacketSealer.v2(enc, 3, 0x123456, ids)
                : DataPacketSealer.v1(enc, 3, ids);
        DataPacketOpener opener = new DataPacketOpener(factory.create(cipherName, key, iv, false), new ReplayWindow());
        for (int size : List.of(1, 16, 17, 100, 1400, 1500)) {
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            ByteBuffer buf = direct ? ByteBuffer.allocateDirect(2048) : ByteBuffer.allocate(2048);
            int payloadAt = 64;
            buf.put(payloadAt, payload);
            int start = sealer.seal(buf, payloadAt, size);
            int length = sealer.overhead() + size;
            assertFalse(java.util.Arrays.equals(payload, slice(buf, payloadAt, size)), "encrypted in place");
            assertNull(opener.open(buf, start, length, NOW));
            assertEquals(payloadAt, opener.payloadOffset(buf, start));
            assertArrayEquals(payload, slice(buf, payloadAt, size));
        }
        assertEquals(6, sealer.lastPacketId());
    }

    private static byte[] slice(ByteBuffer buf, int at, int n) {
        byte[] b = new byte[n];
        buf.get(at, b);
        return b;
    }

    /** A packet that ends at the buffer's capacity has no tailroom for JCE's tag: the scratch path. */
    @Test
    void sealsWithoutTailroom() {
        DataChannelCipher enc = factory.create("AES-256-GCM", Hex.bytes(CAPTURE_C2S_KEY), Hex.bytes(CAPTURE_C2S_IV), true);
        DataPacketSealer sealer = DataPacketSealer.v2(enc, 0, 0, PacketIdCounter.shortFormAfter(1));
        ByteBuffer buf = ByteBuffer.allocateDirect(40);
        KeepalivePing.write(buf, 24);
        assertEquals(0, sealer.seal(buf, 24, 16));
        byte[] packet = new byte[40];
        buf.get(0, packet);
        assertEquals(Hex.of(Hex.bytes(CAPTURE_C2S_PING)), Hex.of(packet));
    }

    /** P_DATA_V1 authenticates only the packet id: its opcode byte is not covered (§6.1). */
    @Test
    void v1OpcodeByteIsNotAuthenticatedButV2HeaderIs() {
        byte[] key = new byte[32];
        byte[] iv = new byte[8];
        for (String version : List.of("v1", "v2")) {
            DataChannelCipher enc = factory.create("AES-256-GCM", key, iv, true);
            PacketIdCounter ids = PacketIdCounter.shortForm();
            DataPacketSealer sealer = version.equals("v1") ? DataPacketSealer.v1(enc, 0, ids)
                    : DataPacketSealer.v2(enc, 0, 7, ids);
            ByteBuffer buf = ByteBuffer.allocate(128);
            int start = sealer.seal(buf, 40, 10);
            buf.put(start, (byte) (buf.get(start) | 1)); // key id 0 -> 1
            DataPacketOpener opener = new DataPacketOpener(factory.create("AES-256-GCM", key, iv, false),
                    new ReplayWindow());
            DropReason r = opener.open(buf, start, sealer.overhead() + 10, NOW);
            assertEquals(version.equals("v1") ? null : DropReason.DECRYPT_FAILED, r, version);
        }
    }

    @Test
    void malformedPacketsAreRefused() {
        DataPacketOpener opener = opener(CAPTURE_C2S_KEY, CAPTURE_C2S_IV);
        byte[] ping = Hex.bytes(CAPTURE_C2S_PING);
        assertEquals(DropReason.MISSING_PAYLOAD, opener.open(ByteBuffer.wrap(ping, 0, 24), 0, 24, NOW));
        assertEquals(DropReason.TOO_SHORT, opener.open(ByteBuffer.wrap(ping), 0, 23, NOW));
        assertEquals(DropReason.TOO_SHORT, opener.open(ByteBuffer.wrap(ping), 0, 2, NOW));
        assertEquals(DropReason.NOT_DATA, opener.open(Hex.buffer("38" + "00".repeat(30)), 0, 31, NOW));
        assertEquals(DropReason.UNKNOWN_OPCODE, opener.open(Hex.buffer("00" + "00".repeat(30)), 0, 31, NOW));
        Random random = new Random(11);
        for (int i = 0; i < 5000; i++) {
            byte[] b = new byte[random.nextInt(80)];
            random.nextBytes(b);
            if (b.length > 0) {
                b[0] = (byte) (random.nextBoolean() ? 0x48 : 0x30);
            }
            assertNotNull(opener.open(ByteBuffer.wrap(b), 0, b.length, NOW));
        }
    }

    /** §6.3: renegotiate from 0xFF000000; never wrap. */
    @Test
    void packetIdExhaustion() {
        DataChannelCipher enc = factory.create("AES-128-GCM", new byte[16], new byte[8], true);
        DataPacketSealer sealer = DataPacketSealer.v2(enc, 0, 0, PacketIdCounter.shortFormAfter(0xFEFFFFFFL));
        ByteBuffer buf = ByteBuffer.allocate(128);
        assertFalse(sealer.renegotiationDue());
        assertTrue(sealer.seal(buf, 40, 1) >= 0);
        assertTrue(sealer.renegotiationDue());
        DataPacketSealer last = DataPacketSealer.v2(factory.create("AES-128-GCM", new byte[16], new byte[8], true), 0, 0,
                PacketIdCounter.shortFormAfter(0xFFFFFFFEL));
        assertTrue(last.seal(buf, 40, 1) >= 0);
        assertEquals(-1, last.seal(buf, 40, 1));
        assertThrows(IllegalArgumentException.class, () -> last.seal(buf, 40, 0));
        assertThrows(IllegalArgumentException.class,
                () -> DataPacketSealer.v1(enc, 0, PacketIdCounter.longForm()));
    }

    @Test
    void pingDetectionIsExact() {
        ByteBuffer ping = Hex.buffer(PING_MAGIC + "00");
        assertTrue(KeepalivePing.isPing(ping, 0, 16));
        assertFalse(KeepalivePing.isPing(ping, 0, 17));
        assertFalse(KeepalivePing.isPing(ping, 1, 16));
        assertEquals(PING_MAGIC, Hex.of(KeepalivePing.payload()));
    }

    @Test
    void factoryOffersTheThreeCiphers() {
        assertEquals(List.of("AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305"), List.copyOf(factory.ciphers()));
        assertThrows(IllegalArgumentException.class, () -> factory.create("AES-256-GCM", new byte[16], new byte[8], true));
        assertThrows(IllegalArgumentException.class, () -> factory.create("BF-CBC", new byte[16], new byte[8], true));
        DataChannelCipher enc = factory.create("CHACHA20-POLY1305", new byte[32], new byte[8], true);
        assertEquals("CHACHA20-POLY1305", enc.name());
        assertEquals(16, enc.tagLength());
        ByteBuffer b = ByteBuffer.allocate(64);
        assertThrows(IllegalStateException.class, () -> enc.open(1, b, 0, 4, 20, 4, 4));
        DataChannelCipher dec = factory.create("CHACHA20-POLY1305", new byte[32], new byte[8], false);
        assertThrows(IllegalStateException.class, () -> dec.seal(1, b, 0, 4, 20, 4, 4));
    }
}
