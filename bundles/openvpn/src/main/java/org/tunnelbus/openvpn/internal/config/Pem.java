package org.tunnelbus.openvpn.internal.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of a server configuration ({@code ca}, {@code cert}, {@code key}) with the JDK alone:
 * certificates (any text around the blocks is ignored, as easy-rsa writes it), and unencrypted private
 * keys in PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
 * ({@code BEGIN EC PRIVATE KEY}) form. Errors are {@link IllegalArgumentException}s whose message says what
 * is wrong; they never contain key material.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    // DER prefixes to wrap PKCS#1 and SEC1 keys into PKCS#8
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
        0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private Pem() {
    }

    /** One PEM block: its label and decoded bytes. */
    record Block(String label, byte[] der) {
    }

    static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad base64 in the PEM block '" + m.group(1) + "'");
            }
        }
        return out;
    }

    /**
     * Every certificate in the text, in order.
     *
     * @throws IllegalArgumentException if there is none or one does not parse
     */
    public static List<X509Certificate> certificates(String text) {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(text)) {
                if (b.label().equals("CERTIFICATE") || b.label().equals("X509 CERTIFICATE")
                        || b.label().equals("TRUSTED CERTIFICATE")) {
                    certs.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("a certificate does not parse: " + e.getMessage());
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("no '-----BEGIN CERTIFICATE-----' block found");
        }
        return certs;
    }

    /**
     * The first private key in the text.
     *
     * @throws IllegalArgumentException if there is none, it is encrypted, or its algorithm is not supported
     */
    public static PrivateKey privateKey(String text) {
        for (Block b : blocks(text)) {
            byte[] der = b.der();
            try {
                switch (b.label()) {
                    case "PRIVATE KEY":
                        return pkcs8(der);
                    case "RSA PRIVATE KEY":
                        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrapRsa(der)));
                    case "EC PRIVATE KEY":
                        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(wrapEc(der)));
                    case "ENCRYPTED PRIVATE KEY":
                        throw new IllegalArgumentException("the private key is encrypted; Tunnelbus needs it unencrypted "
                                + "(protect the file with mode 0600), e.g. 'openssl pkey -in key.pem -out plain.pem'");
                    default:
                        break;
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("the private key does not parse (" + e.getClass().getSimpleName() + ")");
            } finally {
                Arrays.fill(der, (byte) 0);
            }
        }
        throw new IllegalArgumentException("no '-----BEGIN PRIVATE KEY-----' block found");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    /** PKCS#8 = SEQ { INTEGER 0, SEQ { rsaEncryption, NULL }, OCTET STRING pkcs1 }. */
    private static byte[] wrapRsa(byte[] pkcs1) {
        return sequence(concat(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, tlv(0x04, pkcs1)));
    }

    /**
     * PKCS#8 = SEQ { INTEGER 0, SEQ { ecPublicKey, curve OID }, OCTET STRING sec1 }; the curve comes from the
     * SEC1 structure's {@code [0] parameters}.
     */
    private static byte[] wrapEc(byte[] sec1) {
        byte[] curve = ecCurveOid(sec1);
        return sequence(concat(new byte[] {0x02, 0x01, 0x00}, sequence(concat(EC_PUBLIC_KEY_OID, curve)), tlv(0x04, sec1)));
    }

    /** Walks SEQ { INTEGER 1, OCTET STRING key, [0] { OID } ... } for the OID's TLV. */
    private static byte[] ecCurveOid(byte[] sec1) {
        int[] at = {0};
        expect(sec1, at, 0x30);
        length(sec1, at);
        skip(sec1, at, 0x02);
        skip(sec1, at, 0x04);
        if (at[0] >= sec1.length || (sec1[at[0]] & 0xFF) != 0xA0) {
            throw new IllegalArgumentException("the EC private key does not name its curve; use PKCS#8 ('BEGIN PRIVATE KEY')");
        }
        at[0]++;
        length(sec1, at);
        int start = at[0];
        expect(sec1, at, 0x06);
        int n = length(sec1, at);
        return Arrays.copyOfRange(sec1, start, at[0] + n);
    }

    private static void expect(byte[] der, int[] at, int tag) {
        if (at[0] >= der.length || (der[at[0]] & 0xFF) != tag) {
            throw new IllegalArgumentException("the EC private key is not valid DER");
        }
        at[0]++;
    }

    private static void skip(byte[] der, int[] at, int tag) {
        expect(der, at, tag);
        int n = length(der, at);
        at[0] += n;
    }

    private static int length(byte[] der, int[] at) {
        if (at[0] >= der.length) {
            throw new IllegalArgumentException("the EC private key is truncated");
        }
        int first = der[at[0]++] & 0xFF;
        if (first < 0x80) {
            return first;
        }
        int bytes = first & 0x7F;
        if (bytes > 3 || at[0] + bytes > der.length) {
            throw new IllegalArgumentException("the EC private key is not valid DER");
        }
        int n = 0;
        for (int i = 0; i < bytes; i++) {
            n = n << 8 | (der[at[0]++] & 0xFF);
        }
        return n;
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
