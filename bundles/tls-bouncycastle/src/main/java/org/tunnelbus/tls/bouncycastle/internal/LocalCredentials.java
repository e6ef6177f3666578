package org.tunnelbus.tls.bouncycastle.internal;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.TlsContext;

/**
 * Our certificate chain and private key (from the {@code TlsSpec}), turned into Bouncy Castle credentials
 * for each handshake: the signature scheme is the first of ours that the peer offers (for TLS 1.3 an EC key
 * signs with the hash of its curve, an RSA key with PSS).
 */
final class LocalCredentials {
    private final List<byte[]> chain;
    private final AsymmetricKeyParameter key;
    private final String keyAlgorithm;

    private LocalCredentials(List<byte[]> chain, AsymmetricKeyParameter key, String keyAlgorithm) {
        this.chain = chain;
        this.key = key;
        this.keyAlgorithm = keyAlgorithm;
    }

    /**
     * @return the credentials, or null when there is no certificate or key (a client without one)
     * @throws IllegalArgumentException if the key cannot be used (not extractable, or an unsupported type)
     */
    static LocalCredentials of(List<X509Certificate> chain, PrivateKey key) {
        if (chain.isEmpty() || key == null) {
            return null;
        }
        byte[] pkcs8 = key.getEncoded();
        if (pkcs8 == null) {
            throw new IllegalArgumentException("the private key (" + key.getAlgorithm()
                    + ") is not extractable; the bouncycastle TLS provider needs its PKCS#8 encoding");
        }
        AsymmetricKeyParameter parameter;
        try {
            parameter = PrivateKeyFactory.createKey(pkcs8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unsupported private key (" + key.getAlgorithm() + "): " + e.getMessage(), e);
        }
        if (!(parameter instanceof ECPrivateKeyParameters || parameter instanceof RSAKeyParameters
                || parameter instanceof Ed25519PrivateKeyParameters || parameter instanceof Ed448PrivateKeyParameters)) {
            throw new IllegalArgumentException("unsupported private key type " + key.getAlgorithm()
                    + "; supported: EC, RSA, Ed25519, Ed448");
        }
        List<byte[]> encoded = new ArrayList<>();
        try {
            for (X509Certificate c : chain) {
                encoded.add(c.getEncoded());
            }
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
        String algorithm = parameter instanceof RSAKeyParameters ? "RSA"
                : parameter instanceof ECPrivateKeyParameters ? "EC" : "EdDSA";
        return new LocalCredentials(List.copyOf(encoded), parameter, algorithm);
    }

    /** "EC", "RSA" or "EdDSA": which TLS 1.2 suites a server with this key can serve. */
    String keyAlgorithm() {
        return keyAlgorithm;
    }

    /**
     * @param peerSigAlgs     the peer's signature_algorithms (null: a TLS 1.2 peer that sent none)
     * @param requestContext  TLS 1.3: the certificate_request_context to echo (empty for a server); null for 1.2
     */
    TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto, Vector<?> peerSigAlgs, byte[] requestContext)
            throws IOException {
        boolean tls13 = TlsUtils.isTLSv13(context);
        SignatureAndHashAlgorithm chosen = null;
        if (peerSigAlgs == null) { // a TLS 1.2 peer without signature_algorithms implies SHA-1 (RFC 5246 7.4.1.4.1)
            if (!tls13 && !keyAlgorithm.equals("EdDSA")) {
                chosen = SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha1,
                        keyAlgorithm.equals("RSA") ? SignatureAlgorithm.rsa : SignatureAlgorithm.ecdsa);
            }
        } else {
            for (SignatureAndHashAlgorithm candidate : candidates(tls13)) {
                if (peerSigAlgs.contains(candidate)) {
                    chosen = candidate;
                    break;
                }
            }
        }
        if (chosen == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure,
                    "no signature algorithm in common with the peer for our " + keyAlgorithm + " key");
        }
        TlsCertificate[] certs = new TlsCertificate[chain.size()];
        for (int i = 0; i < certs.length; i++) {
            certs[i] = crypto.createCertificate(chain.get(i));
        }
        Certificate certificate;
        if (tls13) {
            CertificateEntry[] entries = new CertificateEntry[certs.length];
            for (int i = 0; i < certs.length; i++) {
                entries[i] = new CertificateEntry(certs[i], null);
            }
            certificate = new Certificate(requestContext == null ? TlsUtils.EMPTY_BYTES : requestContext, entries);
        } else {
            certificate = new Certificate(certs);
        }
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, key, certificate, chosen);
    }

    private List<SignatureAndHashAlgorithm> candidates(boolean tls13) {
        List<SignatureAndHashAlgorithm> c = new ArrayList<>();
        if (key instanceof ECPrivateKeyParameters ec) {
            int bits = ec.getParameters().getCurve().getFieldSize();
            short own = bits <= 256 ? HashAlgorithm.sha256 : bits <= 384 ? HashAlgorithm.sha384 : HashAlgorithm.sha512;
            c.add(SignatureAndHashAlgorithm.getInstance(own, SignatureAlgorithm.ecdsa));
            if (!tls13) {
                for (short h : new short[] {HashAlgorithm.sha256, HashAlgorithm.sha384, HashAlgorithm.sha512}) {
                    if (h != own) {
                        c.add(SignatureAndHashAlgorithm.getInstance(h, SignatureAlgorithm.ecdsa));
                    }
                }
            }
        } else if (key instanceof RSAKeyParameters) {
            c.add(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256);
            c.add(SignatureAndHashAlgorithm.rsa_pss_rsae_sha384);
            c.add(SignatureAndHashAlgorithm.rsa_pss_rsae_sha512);
            if (!tls13) {
                c.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
                c.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha384, SignatureAlgorithm.rsa));
                c.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha512, SignatureAlgorithm.rsa));
            }
        } else if (key instanceof Ed25519PrivateKeyParameters) {
            c.add(SignatureAndHashAlgorithm.ed25519);
        } else {
            c.add(SignatureAndHashAlgorithm.ed448);
        }
        return c;
    }
}
