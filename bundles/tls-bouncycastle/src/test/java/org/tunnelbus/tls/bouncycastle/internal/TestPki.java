package org.tunnelbus.tls.bouncycastle.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.tunnelbus.api.tls.TlsRole;
import org.tunnelbus.api.tls.TlsSpec;

/**
 * A throwaway PKI for tests, made with Bouncy Castle's certificate builder over the JDK's EC keys (no JCA
 * provider is installed): an EC P-256 CA, and server/client certificates with EKU serverAuth/clientAuth and
 * key usage digitalSignature.
 */
final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate chain (leaf first, without the CA) and its key. */
    record Identity(List<X509Certificate> chain, PrivateKey key) {
    }

    private final X500Name caName;
    private final KeyPair caKeys;
    private final X509Certificate ca;

    TestPki(String caCommonName) {
        try {
            caName = new X500Name("CN=" + caCommonName + ",O=Tunnelbus tests");
            caKeys = ecKeys();
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caName, serial(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), caName,
                    caKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            ca = sign(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    X509Certificate ca() {
        return ca;
    }

    Identity server(String cn) {
        return issue(cn, KeyPurposeId.id_kp_serverAuth, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(7)));
    }

    Identity client(String cn) {
        return issue(cn, KeyPurposeId.id_kp_clientAuth, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(7)));
    }

    Identity expiredClient(String cn) {
        return issue(cn, KeyPurposeId.id_kp_clientAuth, Instant.now().minus(Duration.ofDays(10)),
                Instant.now().minus(Duration.ofDays(1)));
    }

    Identity expiredServer(String cn) {
        return issue(cn, KeyPurposeId.id_kp_serverAuth, Instant.now().minus(Duration.ofDays(10)),
                Instant.now().minus(Duration.ofDays(1)));
    }

    Identity issue(String cn, KeyPurposeId purpose, Instant notBefore, Instant notAfter) {
        try {
            KeyPair keys = ecKeys();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Name("CN=" + cn + ",O=Tunnelbus tests"), keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new Identity(List.of(sign(b)), keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A spec trusting this CA. */
    TlsSpec spec(TlsRole role, Identity id, String minVersion, boolean requirePeerCertificate) {
        return new TlsSpec(role, List.of(ca), id == null ? List.of() : id.chain(), id == null ? null : id.key(),
                minVersion, requirePeerCertificate);
    }

    private X509Certificate sign(X509v3CertificateBuilder b) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }
}
