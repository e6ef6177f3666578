package org.tunnelbus.tls.bouncycastle.internal;

import java.util.Arrays;

import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsCryptoUtils;
import org.bouncycastle.tls.crypto.TlsSecret;

/**
 * The RFC 5705 / RFC 8446 7.5 exporter of one TLS session, usable after the handshake.
 *
 * <p>Bouncy Castle's {@code TlsContext.exportKeyingMaterial} works only from inside
 * {@code notifyHandshakeComplete()}: right after it, the protocol wipes the session's secrets. OpenVPN,
 * however, exports when key method 2 has run, later. So at handshake completion this class keeps a copy of
 * the one secret the exporter needs (TLS 1.3: exporter_master_secret; TLS 1.2: the master secret, plus the
 * two randoms) and computes the exporter with Bouncy Castle's own PRF / HKDF-Expand-Label. A self-check at
 * capture compares its output with Bouncy Castle's exporter while that still works; on a mismatch the
 * exporter stays unavailable. {@link #destroy()} wipes the copy (when the engine closes).
 */
final class RetainedExporter {
    private static final String SELF_CHECK = "EXPORTER-Tunnelbus-self-check";

    private final TlsCrypto crypto;
    private final TlsSecret secret;
    private final boolean tls13;
    private final int prfAlgorithm;
    private final int hashAlgorithm;
    private final int hashLength;
    private final byte[] clientRandom;
    private final byte[] serverRandom;
    private final String unavailable;

    private RetainedExporter(TlsCrypto crypto, TlsSecret secret, SecurityParameters sp, String unavailable) {
        this.crypto = crypto;
        this.secret = secret;
        this.tls13 = sp != null && TlsUtils.isTLSv13(sp.getNegotiatedVersion());
        this.prfAlgorithm = sp == null ? -1 : sp.getPRFAlgorithm();
        this.hashAlgorithm = sp == null ? -1 : sp.getPRFCryptoHashAlgorithm();
        this.hashLength = sp == null ? -1 : sp.getPRFHashLength();
        this.clientRandom = sp == null ? null : sp.getClientRandom().clone();
        this.serverRandom = sp == null ? null : sp.getServerRandom().clone();
        this.unavailable = unavailable;
    }

    /** Captures the exporter; call from {@code notifyHandshakeComplete()}. Never throws. */
    static RetainedExporter capture(TlsContext context) {
        SecurityParameters sp = context.getSecurityParametersConnection();
        if (sp == null) {
            return new RetainedExporter(null, null, null, "no TLS session");
        }
        if (!sp.isExtendedMasterSecret()) {
            return new RetainedExporter(null, null, null,
                    "the TLS 1.2 session has no extended_master_secret, so it may not export keying material "
                            + "(RFC 7627 5.4)");
        }
        ProtocolVersion v = sp.getNegotiatedVersion();
        TlsSecret source = TlsUtils.isTLSv13(v) ? sp.getExporterMasterSecret() : sp.getMasterSecret();
        RetainedExporter exporter;
        try {
            exporter = new RetainedExporter(context.getCrypto(), context.getCrypto().adoptSecret(source), sp, null);
            byte[] ours = exporter.export(SELF_CHECK, null, 32);
            byte[] theirs = context.exportKeyingMaterial(SELF_CHECK, null, 32);
            if (!Arrays.equals(ours, theirs)) {
                exporter.destroy();
                return new RetainedExporter(null, null, null, "exporter self-check failed against Bouncy Castle's");
            }
        } catch (RuntimeException e) {
            return new RetainedExporter(null, null, null, "exporter unavailable: " + e.getMessage());
        }
        return exporter;
    }

    /**
     * @param context the context value, or null for none (in TLS 1.2 not the same as an empty one; in
     *                TLS 1.3 the same)
     * @throws IllegalStateException if this session cannot export, or after {@link #destroy()}
     */
    synchronized byte[] export(String label, byte[] context, int length) {
        if (unavailable != null) {
            throw new IllegalStateException(unavailable);
        }
        if (!secret.isAlive()) {
            throw new IllegalStateException("the TLS session is closed");
        }
        if (!tls13) { // RFC 5705: PRF(master_secret, label, client_random || server_random [|| len || context])
            byte[] seed;
            if (context == null) {
                seed = concat(clientRandom, serverRandom, new byte[0]);
            } else {
                seed = concat(clientRandom, serverRandom, new byte[] {(byte) (context.length >>> 8), (byte) context.length});
                seed = concat(seed, context, new byte[0]);
            }
            return secret.deriveUsingPRF(prfAlgorithm, label, seed, length).extract();
        }
        try { // RFC 8446 7.5
            byte[] empty = crypto.createHash(hashAlgorithm).calculateHash();
            TlsSecret derived = TlsCryptoUtils.hkdfExpandLabel(secret, hashAlgorithm, label, empty, hashLength);
            byte[] contextHash = empty;
            if (context != null && context.length > 0) {
                var h = crypto.createHash(hashAlgorithm);
                h.update(context, 0, context.length);
                contextHash = h.calculateHash();
            }
            return TlsCryptoUtils.hkdfExpandLabel(derived, hashAlgorithm, "exporter", contextHash, length).extract();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("exporter failed: " + e.getMessage(), e);
        }
    }

    /** Wipes the retained secret. */
    synchronized void destroy() {
        if (secret != null && secret.isAlive()) {
            secret.destroy();
        }
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        byte[] r = new byte[a.length + b.length + c.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        System.arraycopy(c, 0, r, a.length + b.length, c.length);
        return r;
    }
}
