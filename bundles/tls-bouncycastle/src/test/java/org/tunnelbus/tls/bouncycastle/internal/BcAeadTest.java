package org.tunnelbus.tls.bouncycastle.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.BundleContext;
import org.tunnelbus.api.crypto.KnownAnswerTests;
import org.tunnelbus.api.crypto.DataChannelCipher;
import org.tunnelbus.api.crypto.DataChannelCipherFactory;

class BcAeadTest {
    static final DataChannelCipherFactory FACTORY = new BcDataChannelCipherFactory();
    static final HexFormat HEX = HexFormat.of();

    static byte[] key(String cipher) {
        byte[] k = new byte[cipher.equals("AES-128-GCM") ? 16 : 32];
        new Random(cipher.hashCode()).nextBytes(k);
        return k;
    }

    static final byte[] IV = HEX.parseHex("0102030405060708");

    /** A P_DATA_V2 packet in a pooled-style buffer with headroom: [pad 3][hdr 8][tag 16][payload]. */
    static ByteBuffer packet(boolean direct, int packetId, byte[] payload) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(3 + 24 + payload.length + 5)
                : ByteBuffer.allocate(3 + 24 + payload.length + 5);
        b.put(3, (byte) 0x48).put(4, (byte) 0).put(5, (byte) 0).put(6, (byte) 7).putInt(7, packetId);
        b.put(27, payload);
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305"})
    void roundTripInPlaceOnDirectAndHeapBuffers(String cipher) {
        DataChannelCipher seal = FACTORY.create(cipher, key(cipher), IV, true);
        DataChannelCipher open = FACTORY.create(cipher, key(cipher), IV, false);
        assertEquals(cipher, seal.name());
        assertEquals(16, seal.tagLength());
        Random r = new Random(1);
        for (int id = 1; id <= 40; id++) {
            byte[] payload = new byte[id == 40 ? 9000 : r.nextInt(1500) + 1];
            r.nextBytes(payload);
            ByteBuffer b = packet(id % 2 == 0, id, payload);
            b.position(2).limit(b.capacity() - 1); // position and limit are the caller's, untouched
            seal.seal(id, b, 3, 8, 27, payload.length, 11);
            assertEquals(2, b.position());
            byte[] ct = new byte[payload.length];
            b.get(27, ct);
            assertFalse(java.util.Arrays.equals(ct, payload));
            assertTrue(open.open(id, b, 3, 8, 27, payload.length, 11));
            byte[] back = new byte[payload.length];
            b.get(27, back);
            assertArrayEquals(payload, back);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305"})
    void tamperingIsRefused(String cipher) {
        byte[] payload = "an IP packet".getBytes();
        DataChannelCipher seal = FACTORY.create(cipher, key(cipher), IV, true);
        DataChannelCipher open = FACTORY.create(cipher, key(cipher), IV, false);
        ByteBuffer b = packet(true, 5, payload);
        seal.seal(5, b, 3, 8, 27, payload.length, 11);
        byte[] good = new byte[b.capacity()];
        b.get(0, good);
        for (int at : new int[] {3, 7, 10, 11, 26, 27, 27 + payload.length - 1}) { // header, packet id, tag, body
            ByteBuffer t = ByteBuffer.allocateDirect(good.length).put(0, good);
            t.put(at, (byte) (good[at] ^ 0x20));
            assertFalse(open.open(5, t, 3, 8, 27, payload.length, 11), "tampered byte " + at);
        }
        ByteBuffer t = ByteBuffer.allocateDirect(good.length).put(0, good);
        assertFalse(open.open(6, t, 3, 8, 27, payload.length, 11), "wrong packet id (nonce)");
        DataChannelCipher otherIv = FACTORY.create(cipher, key(cipher), HEX.parseHex("0102030405060709"), false);
        assertFalse(otherIv.open(5, t, 3, 8, 27, payload.length, 11), "wrong implicit IV");
        assertTrue(open.open(5, t, 3, 8, 27, payload.length, 11));
    }

    @Test
    void openVpnCapturedPingsDecryptToThePingMagic() {
        for (KnownAnswerTests.Vector v : KnownAnswerTests.VECTORS) {
            if (!v.source().startsWith("OpenVPN")) {
                continue;
            }
            byte[] wire = HEX.parseHex(v.packet());
            ByteBuffer b = ByteBuffer.allocateDirect(wire.length).put(0, wire);
            DataChannelCipher open = FACTORY.create(v.cipher(), HEX.parseHex(v.key()), HEX.parseHex(v.implicitIv()), false);
            int packetId = b.getInt(4);
            assertEquals(v.packetId(), packetId);
            assertTrue(open.open(packetId, b, 0, 8, 24, wire.length - 24, 8));
            byte[] payload = new byte[16];
            b.get(24, payload);
            assertEquals("2a187bf3641eb4cb07ed2d0a981fc748", HEX.formatHex(payload));
        }
    }

    @Test
    void allKnownAnswerVectorsPass() {
        assertEquals(List.of(), KnownAnswerTests.run(BcDataChannelCipherFactory::make));
        assertEquals(5, KnownAnswerTests.VECTORS.size());
    }

    @Test
    void knownAnswerTestsCatchABrokenCipher() {
        // a "cipher" that gets the nonce layout wrong: implicit IV first, then the packet id
        KnownAnswerTests.Maker swapped = (cipher, key, iv, encrypt) -> {
            DataChannelCipher real = BcDataChannelCipherFactory.make(cipher, key, iv, encrypt);
            return new DataChannelCipher() {
                public String name() { return real.name(); }
                public int tagLength() { return 16; }
                public void seal(int id, ByteBuffer b, int ao, int al, int o, int l, int t) {
                    real.seal(Integer.reverseBytes(id), b, ao, al, o, l, t);
                }
                public boolean open(int id, ByteBuffer b, int ao, int al, int o, int l, int t) {
                    return real.open(Integer.reverseBytes(id), b, ao, al, o, l, t);
                }
            };
        };
        assertEquals(5, KnownAnswerTests.run(swapped).size());
    }

    @Test
    void providerRegistersOnlyWhenTheVectorsPass() {
        List<Object[]> registered = new ArrayList<>();
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        registered.add(args);
                    }
                    return null;
                });
        new BcCryptoProvider(context, config(new String[] {"AES-256-GCM", "CHACHA20-POLY1305"}, 7));
        assertEquals(1, registered.size());
        assertEquals(DataChannelCipherFactory.class, registered.get(0)[0]);
        DataChannelCipherFactory f = (DataChannelCipherFactory) registered.get(0)[1];
        assertEquals(java.util.Set.of("AES-256-GCM", "CHACHA20-POLY1305"), f.ciphers());
        Dictionary<?, ?> props = (Dictionary<?, ?>) registered.get(0)[2];
        assertArrayEquals(new String[] {"AES-256-GCM", "CHACHA20-POLY1305"}, (String[]) props.get(DataChannelCipherFactory.CIPHERS));
        assertEquals(7, props.get("service.ranking"));
        assertEquals("bouncycastle", props.get(BcCryptoProvider.PROVIDER));
        assertThrows(IllegalArgumentException.class, () -> f.create("AES-128-GCM", new byte[16], IV, true));

        registered.clear();
        BcCryptoProvider broken = new BcCryptoProvider(context, config(new String[] {"AES-256-GCM"}, 0),
                (cipher, key, iv, encrypt) -> { throw new IllegalStateException("no AES here"); });
        assertFalse(broken.registered());
        assertEquals(0, registered.size());
    }

    @Test
    void badKeysAndNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FACTORY.create("AES-256-GCM", new byte[16], IV, true));
        assertThrows(IllegalArgumentException.class, () -> FACTORY.create("AES-128-GCM", new byte[16], new byte[12], true));
        assertThrows(IllegalArgumentException.class, () -> FACTORY.create("BF-CBC", new byte[16], IV, true));
        DataChannelCipher seal = FACTORY.create("AES-128-GCM", new byte[16], IV, true);
        ByteBuffer b = packet(true, 1, new byte[4]);
        assertThrows(IllegalStateException.class, () -> seal.open(1, b, 3, 8, 27, 4, 11));
        seal.seal(1, b, 3, 8, 27, 4, 11);
        assertThrows(IllegalStateException.class, () -> seal.seal(1, b, 3, 8, 27, 4, 11), "nonce reuse");
    }

    static BcCryptoConfig config(String[] ciphers, int ranking) {
        return new BcCryptoConfig() {
            public Class<? extends Annotation> annotationType() { return BcCryptoConfig.class; }
            public String[] data_ciphers() { return ciphers; }
            public int service_ranking() { return ranking; }
        };
    }
}
