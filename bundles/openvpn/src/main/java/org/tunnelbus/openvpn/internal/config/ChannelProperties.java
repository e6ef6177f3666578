package org.tunnelbus.openvpn.internal.config;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

import org.tunnelbus.api.tls.TlsRole;
import org.tunnelbus.api.tls.TlsSpec;
import org.tunnelbus.openvpn.internal.keys.KeyDirection;
import org.tunnelbus.openvpn.internal.tlswrap.AuthDigest;

/**
 * The properties a listener and a client share, with stock's names and defaults: the TLS provider and credentials
 * ({@code tls.provider}, {@code tls.version.min}, {@code ca}, {@code cert}, {@code key}), the tls-auth digest and
 * direction ({@code auth}, {@code tls.auth.direction}), the control-channel timers ({@code reneg.sec},
 * {@code reneg.bytes}, {@code hand.window}, {@code tls.timeout}) and the configuration handshake
 * ({@code handshake.mode}). Each problem is reported to the reader, naming its property.
 */
public record ChannelProperties(String tlsProvider, String tlsVersionMin, List<X509Certificate> ca,
        List<X509Certificate> chain, PrivateKey privateKey, AuthDigest auth, KeyDirection keyDirection, int renegSeconds,
        int renegBytes, int handWindowSeconds, int tlsTimeoutSeconds, String handshakeMode) {

    /** @param minHandWindow the smallest {@code hand.window} this side accepts */
    public static ChannelProperties read(PropertyReader r, int minHandWindow) {
        String min = r.string("tls.version.min", "1.2");
        if (!min.equals("1.2") && !min.equals("1.3")) {
            r.refuse("tls.version.min", "must be 1.2 or 1.3, not '" + min + "'");
        }
        String mode = r.string("handshake.mode", "push").toLowerCase(Locale.ROOT);
        if (!mode.equals("push") && !mode.equals("agreement")) {
            r.refuse("handshake.mode", "must be push or agreement, not '" + mode + "'");
        }
        return new ChannelProperties(r.string("tls.provider", "bouncycastle"), min,
                r.file("ca", true, Pem::certificates), r.file("cert", true, Pem::certificates),
                r.file("key", true, Pem::privateKey), r.parse("auth", "SHA1", AuthDigest::ofName),
                r.parse("tls.auth.direction", "", v -> KeyDirection.parse(v.isEmpty() ? null : v)),
                r.integer("reneg.sec", 3600, 0, Integer.MAX_VALUE), r.integer("reneg.bytes", 0, 0, Integer.MAX_VALUE),
                r.integer("hand.window", 60, minHandWindow, 3600), r.integer("tls.timeout", 2, 1, 60), mode);
    }

    /** The TLS engine's settings for our side, or null while the credentials have problems. */
    public TlsSpec tlsSpec(TlsRole role, boolean requirePeerCertificate, boolean requestPeerCertificate) {
        return ca == null || chain == null || privateKey == null ? null
                : new TlsSpec(role, ca, chain, privateKey, tlsVersionMin, requirePeerCertificate, requestPeerCertificate);
    }

    /** The tls-auth digest, SHA1 while {@code auth} has a problem (for the options string). */
    public AuthDigest authOrDefault() {
        return auth == null ? AuthDigest.SHA1 : auth;
    }

    public long handWindowMillis() {
        return handWindowSeconds * 1000L;
    }

    public long tlsTimeoutMillis() {
        return tlsTimeoutSeconds * 1000L;
    }

    public boolean agreement() {
        return handshakeMode.equals("agreement");
    }

    @Override
    public String toString() { // never print the key
        return "ChannelProperties[TLS provider " + tlsProvider + " (min " + tlsVersionMin + "), reneg-sec " + renegSeconds
                + ", reneg-bytes " + renegBytes + ", hand-window " + handWindowSeconds + ", " + handshakeMode + "]";
    }
}
