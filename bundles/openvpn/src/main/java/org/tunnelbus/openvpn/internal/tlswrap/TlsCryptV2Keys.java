package org.tunnelbus.openvpn.internal.tlswrap;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

import org.tunnelbus.openvpn.internal.keys.Key2;
import org.tunnelbus.openvpn.internal.keys.StaticKeyFormatException;
import org.tunnelbus.openvpn.internal.wire.DropReason;
import org.tunnelbus.openvpn.internal.wire.ParseResult;

/**
 * tls-crypt-v2 key material (§2.9; {@code doc/tls-crypt-v2.txt}; {@code tls_crypt.c
 * tls_crypt_v2_unwrap_client_key()}): the server key file, the client key file, and unwrapping a
 * client's wrapped key (WKc) with the server key:
 *
 * <pre>
 * WKc = T(32) || AES-256-CTR(Ke, IV = T[0..15], Kc || metadata) || len(u16)
 * T   = HMAC-SHA256(Ka, len || Kc || metadata),   len = |WKc| including the len field, at most 1024
 * </pre>
 *
 * This is the same construction as {@link TlsCryptCipher} with {@code len} as the authenticated header.
 * The wire handling of V3 resets and CONTROL_WKC_V1 is not here yet.
 */
public final class TlsCryptV2Keys {
    public static final String SERVER_KEY_PEM = "OpenVPN tls-crypt-v2 server key";
    public static final String CLIENT_KEY_PEM = "OpenVPN tls-crypt-v2 client key";
    /** {@code tls_crypt.h TLS_CRYPT_V2_MAX_WKC_LEN}. */
    public static final int MAX_WKC_LENGTH = 1024;
    /** Metadata types (the first metadata byte). */
    public static final int METADATA_USER = 0x00;
    public static final int METADATA_TIMESTAMP = 0x01;
    private static final int SERVER_KEY_LENGTH = 128;

    /** A client key file: the tls-crypt key {@code Kc} and the wrapped copy the client sends. */
    public record ClientKey(Key2 key, byte[] wrappedKey) {
    }

    /** What the server learns from a WKc: the client's tls-crypt key and the metadata. */
    public record UnwrappedKey(Key2 key, byte[] metadata) {
    }

    private TlsCryptV2Keys() {
    }

    /**
     * Reads a server key file: base64 of one {@code struct key}, Ke = bytes 0..31, Ka = bytes 64..95.
     *
     * @return the cipher that unwraps client keys
     */
    public static TlsCryptCipher parseServerKey(String pem) throws StaticKeyFormatException {
        byte[] key = pemBody(pem, SERVER_KEY_PEM);
        if (key.length != SERVER_KEY_LENGTH) {
            throw new StaticKeyFormatException("tls-crypt-v2 server key: " + key.length + " bytes, need "
                    + SERVER_KEY_LENGTH);
        }
        try {
            return new TlsCryptCipher(Arrays.copyOfRange(key, 0, 32), Arrays.copyOfRange(key, 64, 96));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Reads a client key file: base64 of {@code Kc (256) || WKc}. */
    public static ClientKey parseClientKey(String pem) throws StaticKeyFormatException {
        byte[] body = pemBody(pem, CLIENT_KEY_PEM);
        if (body.length <= Key2.LENGTH + TlsCryptCipher.TAG_LENGTH + 2) {
            throw new StaticKeyFormatException("tls-crypt-v2 client key: too short (" + body.length + " bytes)");
        }
        Key2 kc = Key2.of(Arrays.copyOfRange(body, 0, Key2.LENGTH));
        byte[] wkc = Arrays.copyOfRange(body, Key2.LENGTH, body.length);
        Arrays.fill(body, (byte) 0);
        return new ClientKey(kc, wkc);
    }

    /**
     * Unwraps a client's WKc with the server key. Never throws on a bad WKc.
     *
     * @param serverKey from {@link #parseServerKey}
     */
    public static ParseResult<UnwrappedKey> unwrap(ByteBuffer wkc, TlsCryptCipher serverKey) {
        int at = wkc.position();
        int length = wkc.remaining();
        if (length > MAX_WKC_LENGTH || length < TlsCryptCipher.TAG_LENGTH + 2
                || (wkc.getShort(at + length - 2) & 0xFFFF) != length) {
            return ParseResult.refused(DropReason.WRAPPED_KEY_INVALID);
        }
        ByteBuffer plain = ByteBuffer.allocate(length);
        int ctLength = length - TlsCryptCipher.TAG_LENGTH - 2;
        boolean ok = serverKey.open(wkc.slice(at + length - 2, 2), wkc.slice(at, TlsCryptCipher.TAG_LENGTH),
                wkc.slice(at + TlsCryptCipher.TAG_LENGTH, ctLength), plain);
        if (!ok) {
            return ParseResult.refused(DropReason.AUTHENTICATION_FAILED);
        }
        if (plain.position() < Key2.LENGTH) {
            return ParseResult.refused(DropReason.WRAPPED_KEY_INVALID);
        }
        byte[] bytes = Arrays.copyOf(plain.array(), plain.position());
        Arrays.fill(plain.array(), (byte) 0);
        Key2 kc = Key2.of(Arrays.copyOfRange(bytes, 0, Key2.LENGTH));
        byte[] metadata = Arrays.copyOfRange(bytes, Key2.LENGTH, bytes.length);
        Arrays.fill(bytes, (byte) 0);
        return ParseResult.ok(new UnwrappedKey(kc, metadata));
    }

    private static byte[] pemBody(String pem, String label) throws StaticKeyFormatException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new StaticKeyFormatException("'" + begin + "' ... '" + end + "' not found");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new StaticKeyFormatException(label + ": bad base64 (" + e.getMessage() + ")");
        }
    }
}
