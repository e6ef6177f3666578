package org.tunnelbus.auth.cert.internal;

import java.security.cert.X509Certificate;
import java.util.Locale;

import javax.security.auth.x500.X500Principal;

/**
 * OpenVPN's {@code verify-x509-name NAME TYPE} ({@code ssl_verify.c verify_peer_cert()}), on the leaf:
 * <ul>
 * <li>{@code subject} (stock default): the whole subject DN equals NAME as OpenSSL prints it
 *     ({@code C=DE, O=Example, CN=alice}); an RFC 2253 DN naming the same subject also matches.</li>
 * <li>{@code name}: the common name equals NAME.</li>
 * <li>{@code name-prefix}: the common name starts with NAME.</li>
 * </ul>
 */
final class NameCheck {
    enum Type {
        SUBJECT("subject"), NAME("name"), NAME_PREFIX("name-prefix");

        final String key;

        Type(String key) {
            this.key = key;
        }

        static Type parse(String s) {
            for (Type t : values()) {
                if (t.key.equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
            throw new IllegalArgumentException("'" + s + "' is not one of subject, name, name-prefix");
        }
    }

    private final String value;
    private final Type type;
    private final X500Principal subject; // for SUBJECT given as an RFC 2253 DN, else null

    NameCheck(String value, Type type) {
        this.value = value;
        this.type = type;
        X500Principal p = null;
        if (type == Type.SUBJECT) {
            try {
                p = new X500Principal(value);
            } catch (IllegalArgumentException e) {
                p = null; // only the OpenSSL form can match
            }
        }
        this.subject = p;
    }

    /** Null if the certificate matches, otherwise the refusal reason. */
    String check(X509Certificate leaf, String cn) {
        switch (type) {
            case NAME:
                return value.equals(cn) ? null : "CN " + cn + " does not match verify-x509-name " + value;
            case NAME_PREFIX:
                return cn != null && cn.startsWith(value) ? null
                        : "CN " + cn + " does not start with verify-x509-name " + value + " (name-prefix)";
            default:
                String openssl = X509Names.opensslSubject(leaf.getSubjectX500Principal());
                if (openssl.equals(value) || leaf.getSubjectX500Principal().equals(subject)) {
                    return null;
                }
                return "subject " + openssl + " does not match verify-x509-name " + value + " (subject)";
        }
    }

    @Override
    public String toString() {
        return value + " " + type.key;
    }
}
