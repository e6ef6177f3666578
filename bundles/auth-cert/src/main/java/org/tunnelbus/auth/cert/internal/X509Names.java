package org.tunnelbus.auth.cert.internal;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/** Names of certificates as OpenVPN shows and compares them. */
final class X509Names {
    /** emailAddress has no RFC 2253 keyword; OpenSSL calls it emailAddress. */
    private static final Map<String, String> OID_NAMES = Map.of("1.2.840.113549.1.9.1", "emailAddress");

    private X509Names() {
    }

    /**
     * The common name OpenVPN uses as the peer's name: the <em>last</em> CN of the subject in encoding order
     * ({@code extract_x509_field_ssl} keeps the last match), or null if there is none.
     */
    static String commonName(X509Certificate cert) {
        String cn = null;
        for (Rdn rdn : rdns(cert.getSubjectX500Principal())) {
            if (rdn.getType().equalsIgnoreCase("CN")) {
                cn = String.valueOf(rdn.getValue());
            }
        }
        return cn;
    }

    /**
     * The subject as OpenVPN's {@code x509_get_subject()} prints it with OpenSSL ({@code XN_FLAG_SEP_CPLUS_SPC |
     * XN_FLAG_FN_SN}): RDNs in encoding order, separated by {@code ", "}, short names, e.g.
     * {@code C=DE, O=Example, CN=alice}. What {@code verify-x509-name ... subject} compares against.
     */
    static String opensslSubject(X500Principal name) {
        StringJoiner j = new StringJoiner(", ");
        for (Rdn rdn : rdns(name)) {
            // a multi-valued RDN prints as "A=x + B=y"
            String s = rdn.toString();
            j.add(s.replaceAll("(?<!\\\\)\\+", " + "));
        }
        return unescape(j.toString());
    }

    /** "CN=alice" style short display of a certificate's subject for messages: RFC 2253, most specific first. */
    static String display(X500Principal name) {
        return name.getName(X500Principal.RFC2253, OID_NAMES);
    }

    private static List<Rdn> rdns(X500Principal name) {
        try {
            // LdapName keeps RFC 2253's reversed order: index 0 is the first RDN of the encoding
            return new LdapName(name.getName(X500Principal.RFC2253, OID_NAMES)).getRdns();
        } catch (InvalidNameException e) {
            throw new IllegalArgumentException("unparsable subject " + name + ": " + e.getMessage(), e);
        }
    }

    /** OpenSSL prints values without RFC 2253 escapes (only control characters are escaped). */
    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && ",=+<>#;\\\" ".indexOf(s.charAt(i + 1)) >= 0) {
                sb.append(s.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Hex serial as OpenVPN logs it (lower case, no separators). */
    static String serial(X509Certificate cert) {
        return cert.getSerialNumber().toString(16);
    }
}
