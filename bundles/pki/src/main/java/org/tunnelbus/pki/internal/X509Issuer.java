package org.tunnelbus.pki.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds keys, certificates and CRLs with Bouncy Castle's PKIX builders; keys and signatures come from the
 * JDK's own providers (SunEC), so no provider is registered globally (which a bundle must not do).
 *
 * <p>Profiles (what stock OpenVPN and OpenSSL expect, as easy-rsa makes them):
 * <ul>
 * <li>CA: basicConstraints critical CA:TRUE; keyUsage critical keyCertSign, cRLSign; SKI.</li>
 * <li>server: basicConstraints CA:FALSE; keyUsage critical digitalSignature; EKU serverAuth ("TLS Web Server
 *     Authentication", checked by {@code remote-cert-tls server}); SAN DNS:cn when the CN is a host name; SKI, AKI.</li>
 * <li>client: basicConstraints CA:FALSE; keyUsage critical digitalSignature; EKU clientAuth; SKI, AKI.</li>
 * </ul>
 * Keys are EC P-256, signatures SHA256withECDSA, serials 128 random bits.
 */
final class X509Issuer {
    static final String SIGNATURE = "SHA256withECDSA";
    /** Certificates start this much before "now", so a peer whose clock is a little behind accepts them. */
    static final long BACKDATE_SECONDS = 3600;

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private final SecureRandom random;

    X509Issuer(SecureRandom random) {
        this.random = random;
    }

    KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    /** A positive serial of 128 random bits (RFC 5280: at most 20 octets, unpredictable). */
    BigInteger newSerial() {
        byte[] b = new byte[16];
        BigInteger s;
        do {
            random.nextBytes(b);
            s = new BigInteger(1, b);
        } while (s.signum() == 0);
        return s;
    }

    static X500Name cn(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    X509Certificate selfSignedCa(String name, KeyPair keys, Instant now, Instant notAfter) throws GeneralSecurityException {
        X500Name subject = cn(name);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, newSerial(),
                    Date.from(now.minusSeconds(BACKDATE_SECONDS)), Date.from(notAfter), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(b, keys.getPrivate());
        } catch (CertIOException e) {
            throw new GeneralSecurityException("CA extensions: " + e.getMessage(), e);
        }
    }

    X509Certificate leaf(CertIndex.Kind kind, String name, BigInteger serial, PublicKey key, X509Certificate ca,
            PrivateKey caKey, Instant now, Instant notAfter) throws GeneralSecurityException {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial,
                    Date.from(now.minusSeconds(BACKDATE_SECONDS)), Date.from(notAfter), cn(name), key)
                    .addExtension(Extension.basicConstraints, false, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            kind == CertIndex.Kind.SERVER ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            if (kind == CertIndex.Kind.SERVER && HOST_NAME.matcher(name).matches()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
            }
            return sign(b, caKey);
        } catch (CertIOException e) {
            throw new GeneralSecurityException("certificate extensions: " + e.getMessage(), e);
        }
    }

    X509CRL crl(X509Certificate ca, PrivateKey caKey, List<CertIndex.Entry> revoked, BigInteger number, Instant now,
            Instant nextUpdate) throws GeneralSecurityException {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                    Date.from(now));
            b.setNextUpdate(Date.from(nextUpdate));
            for (CertIndex.Entry e : revoked) {
                b.addCRLEntry(e.serial(), Date.from(e.revokedAt()), 0); // 0: no reasonCode extension (RFC 5280 5.3.1)
            }
            b.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
            b.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(number));
            return new JcaX509CRLConverter().getCRL(b.build(signer(caKey)));
        } catch (CertIOException e) {
            throw new GeneralSecurityException("CRL extensions: " + e.getMessage(), e);
        }
    }

    private X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(b.build(signer(key)));
    }

    private ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder(SIGNATURE).setSecureRandom(random).build(key);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("signer " + SIGNATURE + ": " + e.getMessage(), e);
        }
    }

    /** Proves that {@code key} belongs to {@code cert} by a signature round trip. */
    static boolean matches(PrivateKey key, X509Certificate cert) {
        try {
            byte[] probe = "tunnelbus key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.security.Signature s = java.security.Signature.getInstance(SIGNATURE);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(cert.getPublicKey());
            s.update(probe);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
