package org.tunnelbus.openvpn.internal.control;

import java.security.cert.X509Certificate;

import javax.security.auth.x500.X500Principal;

/** The CN of a certificate's subject: a peer's name (a client's identity, the server a client checks). */
public final class CommonName {
    private CommonName() {
    }

    /** The first CN of the subject, unescaped, or "" if it has none. */
    public static String of(X509Certificate certificate) {
        String dn = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        for (String rdn : dn.split("(?<!\\\\),")) {
            if (rdn.regionMatches(true, 0, "CN=", 0, 3)) {
                return rdn.substring(3).replace("\\", "");
            }
        }
        return "";
    }
}
