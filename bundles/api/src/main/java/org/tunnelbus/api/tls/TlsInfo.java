package org.tunnelbus.api.tls;

import java.util.Objects;

import org.tunnelbus.api.session.SessionKey;

/**
 * Which SSL module served a session's current TLS session, for status pages and logs: kept in the session
 * under {@link #KEY} and replaced at every renegotiation (each key id runs its own TLS handshake, and a
 * configuration change of the provider applies to the next one).
 *
 * @param provider the {@value TlsEngineFactory#PROVIDER} of the factory, e.g. {@code bouncycastle}
 * @param protocol {@link TlsEngine#describe()} once the handshake completed, e.g.
 *                 {@code TLSv1.3/TLS_AES_256_GCM_SHA384}
 * @param keyId    the OpenVPN key id whose TLS session this is
 * @since 0.2.0
 */
public record TlsInfo(String provider, String protocol, int keyId) {
    /** The session key the protocol module stores this under. */
    public static final SessionKey<TlsInfo> KEY = SessionKey.of("tls-info", TlsInfo.class);

    public TlsInfo {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public String toString() {
        return provider + " " + protocol;
    }
}
