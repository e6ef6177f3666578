package org.tunnelbus.api.crypto;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;


/**
 * Known-answer vectors for the data-channel ciphers, run through the real {@link DataChannelCipher} path
 * (OpenVPN layout: AAD, then the tag, then the ciphertext; nonce = 4-byte packet id || 8-byte implicit
 * IV) on direct buffers:
 * <ul>
 * <li>AES-128-GCM and AES-256-GCM: the GCM specification's test cases 4 and 16 (McGrew &amp; Viega, as
 * used by NIST's GCM validation), whose 96-bit IV splits into packet id {@code cafebabe} and implicit IV
 * {@code facedbaddecaf888};</li>
 * <li>CHACHA20-POLY1305: RFC 8439 section 2.8.2 (packet id {@code 07000000}, implicit IV
 * {@code 4041424344454647});</li>
 * <li>AES-256-GCM in OpenVPN's P_DATA_V2 layout: the two keepalive pings captured from stock OpenVPN 2.6.14
 * (wire-protocol notes section 8.2), which decrypt to the ping magic.</li>
 * </ul>
 * <p><b>Used by</b> every data-channel cipher provider, which runs {@link #run} when it activates and
 * registers its {@link DataChannelCipherFactory} only if nothing failed (a backend whose vectors fail never
 * serves traffic).
 *
 * <p>Each vector is sealed (the exact packet must come out), opened (the plaintext must come out), and opened
 * with one tag bit flipped (must be refused). All vectors were re-checked with Python's {@code cryptography}.
 */
public final class KnownAnswerTests {
    /** Makes a cipher of this provider, enabled or not. */
    @FunctionalInterface
    public interface Maker {
        DataChannelCipher make(String cipher, byte[] key, byte[] implicitIv, boolean encrypt);
    }

    /** One vector: the packet is {@code aad || tag || ciphertext}. */
    public record Vector(String source, String cipher, String key, String implicitIv, int packetId, int aadLength,
            String plaintext, String packet) {
    }

    private static final String NIST_P = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
    private static final String NIST_A = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    private static final String PING = "2a187bf3641eb4cb07ed2d0a981fc748";

    public static final List<Vector> VECTORS = List.of(
            new Vector("GCM spec test case 4", "AES-128-GCM", "feffe9928665731c6d6a8f9467308308",
                    "facedbaddecaf888", 0xcafebabe, 20, NIST_P,
                    NIST_A + "5bc94fbc3221a5db94fae95ae7121a47"
                            + "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                            + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"),
            new Vector("GCM spec test case 16", "AES-256-GCM",
                    "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
                    "facedbaddecaf888", 0xcafebabe, 20, NIST_P,
                    NIST_A + "76fc6ece0f4e1768cddf8853bb2d551b"
                            + "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                            + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"),
            new Vector("RFC 8439 2.8.2", "CHACHA20-POLY1305",
                    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", "4041424344454647",
                    0x07000000, 12,
                    HexFormat.of().formatHex(("Ladies and Gentlemen of the class of '99: If I could offer you only "
                            + "one tip for the future, sunscreen would be it.").getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                    "50515253c0c1c2c3c4c5c6c7" + "1ae10b594f09e26a7e902ecbd0600691"
                            + "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                            + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                            + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                            + "3ff4def08e4b7a9de576d26586cec64b6116"),
            new Vector("OpenVPN 2.6.14 capture, client->server ping", "AES-256-GCM",
                    "0e0ef10fa820235d4cb86da16d58e7c9d2d38a87eb8292cba583145796e71611", "ce7d40caf68ed10e", 2, 8,
                    PING, "4800000000000002" + "033ea310949c20e8a12edab970dedc2a" + "8ef20fda8b7c285adb8da5d02e886b93"),
            new Vector("OpenVPN 2.6.14 capture, server->client ping", "AES-256-GCM",
                    "3edd1a7790aec25ac554edb1764abda43d32f661085f312d82c39e620f979367", "964fc51490e2cd8a", 1, 8,
                    PING, "4800000000000001" + "d28671e3bec3ed92c4c8e2b13f2626e9" + "1fd630207f93fb325c8495a6cfe17607"));

    private KnownAnswerTests() {
    }

    /** Runs every vector; returns one line per failure (empty when all pass). Never throws. */
    public static List<String> run(Maker maker) {
        List<String> failures = new ArrayList<>();
        for (Vector v : VECTORS) {
            try {
                String failure = check(maker, v);
                if (failure != null) {
                    failures.add(v.cipher() + " (" + v.source() + "): " + failure);
                }
            } catch (RuntimeException e) {
                failures.add(v.cipher() + " (" + v.source() + "): " + e);
            }
        }
        return failures;
    }

    private static String check(Maker maker, Vector v) {
        HexFormat hex = HexFormat.of();
        byte[] key = hex.parseHex(v.key());
        byte[] iv = hex.parseHex(v.implicitIv());
        byte[] plaintext = hex.parseHex(v.plaintext());
        byte[] packet = hex.parseHex(v.packet());
        int a = v.aadLength();
        int tag = a;
        int body = a + 16;
        if (packet.length != body + plaintext.length) {
            return "malformed vector";
        }

        ByteBuffer buf = ByteBuffer.allocateDirect(packet.length + 8).position(4); // not at 0: offsets matter
        ByteBuffer p = buf.slice();
        p.put(0, packet, 0, a).put(body, plaintext);
        maker.make(v.cipher(), key, iv, true).seal(v.packetId(), p, 0, a, body, plaintext.length, tag);
        byte[] sealed = new byte[packet.length];
        p.get(0, sealed);
        if (!Arrays.equals(sealed, packet)) {
            return "seal gave " + hex.formatHex(sealed);
        }

        DataChannelCipher open = maker.make(v.cipher(), key, iv, false);
        p.put(0, packet);
        if (!open.open(v.packetId(), p, 0, a, body, plaintext.length, tag)) {
            return "open refused the vector";
        }
        byte[] opened = new byte[plaintext.length];
        p.get(body, opened);
        if (!Arrays.equals(opened, plaintext)) {
            return "open gave " + hex.formatHex(opened);
        }

        p.put(0, packet);
        p.put(tag + 5, (byte) (packet[tag + 5] ^ 0x01));
        if (open.open(v.packetId(), p, 0, a, body, plaintext.length, tag)) {
            return "open accepted a tampered tag";
        }
        return null;
    }
}
