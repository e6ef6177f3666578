package org.tunnelbus.openvpn.internal.keys;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The TLS 1.0/1.1 PRF that OpenVPN uses to expand its own key material (§3.3 method B;
 * {@code crypto_openssl.c ssl_tls1_PRF()}, RFC 2246 §5): {@code P_MD5(S1, seed) XOR P_SHA1(S2, seed)},
 * where S1 and S2 are the halves of the secret, overlapping by one byte when its length is odd.
 * Only HMAC-MD5 and HMAC-SHA1 are needed, both in every JCE.
 */
public final class OpenVpnPrf {
    private OpenVpnPrf() {
    }

    public static byte[] prf(byte[] secret, byte[] seed, int length) {
        int half = (secret.length + 1) / 2;
        byte[] s1 = Arrays.copyOfRange(secret, 0, half);
        byte[] s2 = Arrays.copyOfRange(secret, secret.length - half, secret.length);
        byte[] out = pHash("HmacMD5", s1, seed, length);
        byte[] sha = pHash("HmacSHA1", s2, seed, length);
        for (int i = 0; i < length; i++) {
            out[i] ^= sha[i];
        }
        Arrays.fill(s1, (byte) 0);
        Arrays.fill(s2, (byte) 0);
        Arrays.fill(sha, (byte) 0);
        return out;
    }

    /** RFC 2246 P_hash: A(0) = seed, A(i) = HMAC(A(i-1)); output HMAC(A(1) || seed) || HMAC(A(2) || seed) ... */
    private static byte[] pHash(String algorithm, byte[] secret, byte[] seed, int length) {
        Mac mac = mac(algorithm, secret);
        byte[] out = new byte[length];
        byte[] a = seed;
        for (int done = 0; done < length; ) {
            a = mac.doFinal(a);
            mac.update(a);
            byte[] block = mac.doFinal(seed);
            int n = Math.min(block.length, length - done);
            System.arraycopy(block, 0, out, done, n);
            done += n;
        }
        return out;
    }

    private static Mac mac(String algorithm, byte[] secret) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            // An empty secret is legal for the PRF but not for SecretKeySpec; HMAC pads keys with zeros anyway.
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, algorithm));
            return mac;
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " missing from the JCE", e);
        }
    }
}
