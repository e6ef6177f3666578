package org.tunnelbus.openvpn.internal.server;

import java.util.Locale;

/**
 * OpenVPN's {@code --verify-client-cert} (listener property {@code verify.client.cert}): whether a client
 * needs a certificate, and when the certificate Authenticator ({@code tunnelbus.auth.scheme=cert}) is asked.
 *
 * <ul>
 * <li>{@code require} (default, stock's default): TLS refuses a client without a certificate; every
 * Authenticator is asked.</li>
 * <li>{@code optional}: a certificate is asked for but not required; one that is sent is verified (TLS and
 * the certificate Authenticator); a client without one must be accepted by another Authenticator.</li>
 * <li>{@code none}: no certificate is asked for; the certificate Authenticator is not asked; another
 * Authenticator (e.g. username/password) must accept the client.</li>
 * </ul>
 * Stock refuses to start with {@code optional}/{@code none} and no other authentication; here a client
 * that no other Authenticator accepted is refused, with that reason, so the listener never admits anyone
 * unchecked.
 */
public enum ClientCertPolicy {
    REQUIRE, OPTIONAL, NONE;

    /** The scheme of the certificate Authenticator ({@code org.tunnelbus.auth.cert}). */
    static final String CERT_SCHEME = "cert";

    static ClientCertPolicy parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not one of require, optional, none");
        }
    }

    boolean requiresCertificate() {
        return this == REQUIRE;
    }

    boolean requestsCertificate() {
        return this != NONE;
    }

    /** Whether the Authenticator of {@code scheme} is asked about a client that presented {@code chainPresent}. */
    boolean consults(String scheme, boolean chainPresent) {
        if (!CERT_SCHEME.equals(scheme)) {
            return true;
        }
        return this == REQUIRE || this == OPTIONAL && chainPresent;
    }

    String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
