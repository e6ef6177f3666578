package org.tunnelbus.pki.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM in and out: certificates, CRLs, and unencrypted PKCS#8 private keys (what OpenVPN and OpenSSL 3 read). */
final class Pem {
    private Pem() {
    }

    static String certificate(X509Certificate cert) throws IOException {
        return write(cert);
    }

    static String crl(X509CRL crl) throws IOException {
        return write(crl);
    }

    /** {@code -----BEGIN PRIVATE KEY-----} (PKCS#8, unencrypted). */
    static String privateKey(PrivateKey key) throws IOException {
        return write(new JcaPKCS8Generator(key, null));
    }

    private static String write(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }

    static X509Certificate readCertificate(String pem, String what) throws IOException {
        Object o = readOne(pem, what);
        if (!(o instanceof X509CertificateHolder h)) {
            throw new IOException(what + ": no certificate (found " + describe(o) + ")");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(h);
        } catch (CertificateException e) {
            throw new IOException(what + ": bad certificate: " + e.getMessage(), e);
        }
    }

    static X509CRL readCrl(String pem, String what) throws IOException {
        Object o = readOne(pem, what);
        if (!(o instanceof X509CRLHolder h)) {
            throw new IOException(what + ": no CRL (found " + describe(o) + ")");
        }
        try {
            return new JcaX509CRLConverter().getCRL(h);
        } catch (java.security.cert.CRLException e) {
            throw new IOException(what + ": bad CRL: " + e.getMessage(), e);
        }
    }

    static PrivateKey readPrivateKey(String pem, String what) throws IOException {
        Object o = readOne(pem, what);
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        if (o instanceof PrivateKeyInfo info) {
            return conv.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
            return conv.getKeyPair(pair).getPrivate();
        }
        throw new IOException(what + ": no unencrypted private key (found " + describe(o) + ")");
    }

    private static Object readOne(String pem, String what) throws IOException {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            if (o == null) {
                throw new IOException(what + ": no PEM block");
            }
            return o;
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(what) ? e
                    : new IOException(what + ": unreadable PEM: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException(what + ": unreadable PEM: " + e, e);
        }
    }

    private static String describe(Object o) {
        return o == null ? "nothing" : o.getClass().getSimpleName();
    }
}
