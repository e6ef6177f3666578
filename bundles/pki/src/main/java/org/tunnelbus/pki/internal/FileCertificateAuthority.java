package org.tunnelbus.pki.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;
import org.tunnelbus.pki.PkiException;

/**
 * The CA in a state directory:
 *
 * <pre>
 * DIR/            0700
 *   ca.crt        0644  CA certificate
 *   ca.key        0600  CA private key (PKCS#8 PEM)
 *   crl.pem       0644  current CRL, replaced atomically
 *   index.tsv     0644  what was issued and revoked ({@link CertIndex})
 *   issued/NAME.crt      0644
 *   private/NAME.key     0600, in a 0700 directory
 *   revoked/SERIAL.crt   certificates moved aside when revoked (their keys are deleted)
 *   .lock                file lock held during every change
 * </pre>
 *
 * <p>Thread-safe: every operation runs under this object's monitor, and changes also under an exclusive
 * file lock on {@code .lock}, so a command-line tool and the running service can share a directory.
 * Every write is atomic ({@link StateFiles}); the index is written last, so an interrupted issue leaves at
 * worst an unused key file, never an index entry without its files.
 */
public final class FileCertificateAuthority implements CertificateAuthority {
    private static final Logger LOG = LoggerFactory.getLogger(FileCertificateAuthority.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private final Path dir;
    private final CaPolicy policy;
    private final X509Issuer issuer;

    /** Loaded CA (under the monitor). */
    private X509Certificate caCert;
    private PrivateKey caKey;

    public FileCertificateAuthority(Path directory, CaPolicy policy) {
        this.dir = directory.toAbsolutePath().normalize();
        this.policy = policy;
        this.issuer = new X509Issuer(new SecureRandom());
    }

    Path directory() {
        return dir;
    }

    @Override
    public Path caCertificateFile() {
        return dir.resolve("ca.crt");
    }

    private Path caKeyFile() {
        return dir.resolve("ca.key");
    }

    @Override
    public Path crlFile() {
        return dir.resolve("crl.pem");
    }

    private Path indexFile() {
        return dir.resolve("index.tsv");
    }

    private Path certFile(String name) {
        return dir.resolve("issued").resolve(name + ".crt");
    }

    private Path keyFile(String name) {
        return dir.resolve("private").resolve(name + ".key");
    }

    // ------------------------------------------------------------------------------------------------ CA

    @Override
    public synchronized X509Certificate ensureCa() throws PkiException {
        FileChannel lock = null;
        try {
            lock = lock();
            if (Files.exists(caCertificateFile()) || Files.exists(caKeyFile())) {
                loadCa();
            } else {
                createCa();
            }
            refreshCrlIfDue();
            return caCert;
        } catch (PkiException e) {
            throw e;
        } catch (IOException | GeneralSecurityException e) {
            throw new PkiException("cannot set up the CA in " + dir + ": " + StateFiles.why(e), e);
        } finally {
            unlock(lock);
        }
    }

    private void createCa() throws IOException, GeneralSecurityException {
        Instant now = now();
        KeyPair keys = issuer.newKeyPair();
        X509Certificate cert = issuer.selfSignedCa(policy.caName(), keys, now, now.plus(policy.caValidity()));
        StateFiles.createSecret(caKeyFile(), Pem.privateKey(keys.getPrivate()));
        StateFiles.replacePublic(caCertificateFile(), Pem.certificate(cert));
        caCert = cert;
        caKey = keys.getPrivate();
        if (!Files.exists(indexFile())) {
            StateFiles.replacePublic(indexFile(), CertIndex.empty().format());
        }
        writeCrl(CertIndex.empty());
        LOG.info("Created CA '{}' in {} (serial {}, valid until {})", policy.caName(), dir,
                cert.getSerialNumber().toString(16), cert.getNotAfter().toInstant());
    }

    private void loadCa() throws IOException {
        if (caCert != null && caKey != null) {
            return;
        }
        Path certFile = caCertificateFile();
        Path keyFile = caKeyFile();
        if (!Files.exists(certFile)) {
            throw new PkiException("CA key " + keyFile + " exists but its certificate " + certFile
                    + " is missing; restore it (a new CA would invalidate every certificate)");
        }
        if (!Files.exists(keyFile)) {
            throw new PkiException("CA certificate " + certFile + " exists but its key " + keyFile
                    + " is missing; restore it (a new CA would invalidate every certificate)");
        }
        if (!StateFiles.isSecret(keyFile)) {
            LOG.warn("CA key {} is not mode 0600 ({}); fix with: chmod 600 {}", keyFile,
                    java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)), keyFile);
        }
        X509Certificate cert = Pem.readCertificate(StateFiles.read(certFile), certFile.toString());
        PrivateKey key = Pem.readPrivateKey(StateFiles.read(keyFile), keyFile.toString());
        if (!X509Issuer.matches(key, cert)) {
            throw new PkiException("CA key " + keyFile + " does not belong to the certificate " + certFile);
        }
        Instant now = now();
        if (cert.getNotAfter().toInstant().isBefore(now)) {
            throw new PkiException("CA certificate " + certFile + " expired " + cert.getNotAfter().toInstant());
        }
        caCert = cert;
        caKey = key;
    }

    private X509Certificate requireCa() throws IOException, GeneralSecurityException {
        if (caCert == null) {
            if (Files.exists(caCertificateFile()) || Files.exists(caKeyFile())) {
                loadCa();
            } else {
                createCa();
            }
        }
        return caCert;
    }

    // ------------------------------------------------------------------------------------------- issue

    @Override
    public IssuedCertificate issueServer(String commonName) throws PkiException {
        return issue(CertIndex.Kind.SERVER, commonName);
    }

    @Override
    public IssuedCertificate issueClient(String name) throws PkiException {
        return issue(CertIndex.Kind.CLIENT, name);
    }

    private synchronized IssuedCertificate issue(CertIndex.Kind kind, String name) throws PkiException {
        checkName(name);
        FileChannel lock = null;
        try {
            lock = lock();
            X509Certificate ca = requireCa();
            CertIndex index = readIndex();
            Optional<CertIndex.Entry> existing = index.valid(name);
            if (existing.isPresent()) {
                throw new PkiException("a valid certificate for " + name + " exists (serial " + existing.get().serialHex()
                        + ", until " + existing.get().notAfter() + "); revoke it before issuing another");
            }
            Instant now = now();
            Instant notAfter = now.plus(policy.certValidity());
            if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
                notAfter = ca.getNotAfter().toInstant(); // never outlive the CA
            }
            BigInteger serial;
            do {
                serial = issuer.newSerial();
            } while (index.containsSerial(serial));
            KeyPair keys = issuer.newKeyPair();
            X509Certificate cert = issuer.leaf(kind, name, serial, keys.getPublic(), ca, caKey, now, notAfter);
            String keyPem = Pem.privateKey(keys.getPrivate());
            String certPem = Pem.certificate(cert);

            StateFiles.directory(dir.resolve("private"), StateFiles.PRIVATE_DIR);
            StateFiles.directory(dir.resolve("issued"), StateFiles.PUBLIC_DIR);
            Files.deleteIfExists(keyFile(name)); // an orphan of an interrupted issue: never in the index, never used
            StateFiles.createSecret(keyFile(name), keyPem);
            StateFiles.replacePublic(certFile(name), certPem);
            writeIndex(index.with(new CertIndex.Entry(false, notAfter, null, serial, kind, name)));
            LOG.info("Issued {} certificate {} (serial {}, until {})", kind.key(), name, serial.toString(16), notAfter);
            return new IssuedCertificate(name, List.of(cert, ca), certPem, Pem.certificate(ca), keyPem, certFile(name),
                    keyFile(name));
        } catch (PkiException e) {
            throw e;
        } catch (IOException | GeneralSecurityException e) {
            throw new PkiException("cannot issue a certificate for " + name + " in " + dir + ": " + StateFiles.why(e), e);
        } finally {
            unlock(lock);
        }
    }

    @Override
    public synchronized Optional<IssuedCertificate> find(String name) throws PkiException {
        checkName(name);
        FileChannel lock = null;
        try {
            lock = lock();
            X509Certificate ca = requireCa();
            Optional<CertIndex.Entry> e = readIndex().valid(name);
            if (e.isEmpty()) {
                return Optional.empty();
            }
            String certPem = StateFiles.read(certFile(name));
            String keyPem = StateFiles.read(keyFile(name));
            X509Certificate cert = Pem.readCertificate(certPem, certFile(name).toString());
            if (!cert.getSerialNumber().equals(e.get().serial())) {
                throw new PkiException(certFile(name) + " holds serial " + cert.getSerialNumber().toString(16)
                        + " but the index says " + e.get().serialHex());
            }
            return Optional.of(new IssuedCertificate(name, List.of(cert, ca), certPem, Pem.certificate(ca), keyPem,
                    certFile(name), keyFile(name)));
        } catch (PkiException e) {
            throw e;
        } catch (IOException | GeneralSecurityException e) {
            throw new PkiException("cannot read the certificate of " + name + " in " + dir + ": " + StateFiles.why(e), e);
        } finally {
            unlock(lock);
        }
    }

    // ------------------------------------------------------------------------------------------ revoke

    @Override
    public synchronized X509CRL revoke(String name) throws PkiException {
        checkName(name);
        FileChannel lock = null;
        try {
            lock = lock();
            requireCa();
            CertIndex index = readIndex();
            CertIndex.Entry e = index.valid(name).orElseThrow(() -> new PkiException("no valid certificate for " + name
                    + " to revoke"));
            Instant now = now();
            CertIndex next = index.replace(e, e.revoke(now));
            X509CRL crl = writeCrl(next);
            writeIndex(next);
            Path revokedDir = dir.resolve("revoked");
            StateFiles.directory(revokedDir, StateFiles.PUBLIC_DIR);
            if (Files.exists(certFile(name))) {
                Files.move(certFile(name), revokedDir.resolve(e.serialHex() + ".crt"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Files.deleteIfExists(keyFile(name));
            LOG.info("Revoked certificate {} (serial {}); CRL {} now lists {} certificate(s)", name, e.serialHex(),
                    crlFile(), next.revoked().size());
            return crl;
        } catch (PkiException e) {
            throw e;
        } catch (IOException | GeneralSecurityException e) {
            throw new PkiException("cannot revoke " + name + " in " + dir + ": " + StateFiles.why(e), e);
        } finally {
            unlock(lock);
        }
    }

    @Override
    public synchronized X509CRL crl() throws PkiException {
        try {
            return Pem.readCrl(StateFiles.read(crlFile()), crlFile().toString());
        } catch (IOException e) {
            throw new PkiException("cannot read the CRL " + crlFile() + ": " + StateFiles.why(e), e);
        }
    }

    /** Re-signs the CRL when it is missing or half of its validity has passed (stock OpenSSL refuses a stale one). */
    private void refreshCrlIfDue() throws IOException, GeneralSecurityException {
        Instant now = now();
        if (Files.exists(crlFile())) {
            X509CRL current = Pem.readCrl(StateFiles.read(crlFile()), crlFile().toString());
            Instant thisUpdate = current.getThisUpdate().toInstant();
            Instant next = current.getNextUpdate() == null ? thisUpdate : current.getNextUpdate().toInstant();
            Instant half = thisUpdate.plus(java.time.Duration.between(thisUpdate, next).dividedBy(2));
            if (now.isBefore(half)) {
                return;
            }
            LOG.info("CRL {} reaches its nextUpdate {}; re-signing it", crlFile(), next);
        }
        writeCrl(readIndex());
    }

    private X509CRL writeCrl(CertIndex index) throws IOException, GeneralSecurityException {
        Instant now = now();
        X509CRL crl = issuer.crl(caCert, caKey, index.revoked(), nextCrlNumber(), now, now.plus(policy.crlValidity()));
        StateFiles.replacePublic(crlFile(), Pem.crl(crl));
        return crl;
    }

    private BigInteger nextCrlNumber() {
        try {
            if (Files.exists(crlFile())) {
                X509CRL current = Pem.readCrl(StateFiles.read(crlFile()), crlFile().toString());
                byte[] ext = current.getExtensionValue(Extension.cRLNumber.getId());
                if (ext != null) {
                    BigInteger n = ASN1Integer.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getValue();
                    return n.add(BigInteger.ONE);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("CRL {} unreadable ({}); numbering the new CRL from the clock", crlFile(), e.getMessage());
            return BigInteger.valueOf(policy.clock().millis());
        }
        return BigInteger.ONE;
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** X.509 times have whole seconds; so do the index and the logs. */
    private Instant now() {
        return policy.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    private CertIndex readIndex() throws IOException {
        Path f = indexFile();
        return Files.exists(f) ? CertIndex.parse(StateFiles.read(f), f.toString()) : CertIndex.empty();
    }

    private void writeIndex(CertIndex index) throws IOException {
        StateFiles.replacePublic(indexFile(), index.format());
    }

    /** Takes the directory's exclusive lock; closing the returned channel releases it. */
    private FileChannel lock() throws IOException {
        StateFiles.directory(dir, StateFiles.PRIVATE_DIR);
        FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            ch.lock();
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static void unlock(FileChannel lock) {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                LOG.warn("cannot release the CA lock: {}", e.toString());
            }
        }
    }

    static void checkName(String name) throws PkiException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PkiException("invalid certificate name '" + name + "': use 1 to 64 of A-Z a-z 0-9 . _ - @, "
                    + "starting with a letter or digit");
        }
    }

    @Override
    public String toString() {
        return "FileCertificateAuthority[" + dir + "]";
    }
}
