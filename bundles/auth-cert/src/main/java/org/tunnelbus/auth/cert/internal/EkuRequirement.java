package org.tunnelbus.auth.cert.internal;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * OpenVPN's {@code remote-cert-eku}: the leaf's extended key usage must contain the purpose, given as an OID
 * or by OpenSSL's long or short name ({@code ssl_verify_openssl.c x509_verify_cert_eku()} compares both).
 */
final class EkuRequirement {
    private static final Pattern OID = Pattern.compile("[0-2](\\.\\d+)+");

    /** OpenSSL's long and short names of the common purposes, by OID; the short one is what messages show. */
    private static final Map<String, String[]> NAMES = Map.of(
            "1.3.6.1.5.5.7.3.1", new String[] {"serverAuth", "TLS Web Server Authentication"},
            "1.3.6.1.5.5.7.3.2", new String[] {"clientAuth", "TLS Web Client Authentication"},
            "1.3.6.1.5.5.7.3.3", new String[] {"codeSigning", "Code Signing"},
            "1.3.6.1.5.5.7.3.4", new String[] {"emailProtection", "E-mail Protection"},
            "1.3.6.1.5.5.7.3.8", new String[] {"timeStamping", "Time Stamping"},
            "1.3.6.1.5.5.7.3.9", new String[] {"OCSPSigning", "OCSP Signing"},
            "2.5.29.37.0", new String[] {"anyExtendedKeyUsage", "Any Extended Key Usage"});

    private final String oid;

    private EkuRequirement(String oid) {
        this.oid = oid;
    }

    /** @return null for an empty value (no check) */
    static EkuRequirement parse(String value) {
        String v = value.trim();
        if (v.isEmpty()) {
            return null;
        }
        if (OID.matcher(v).matches()) {
            return new EkuRequirement(v);
        }
        for (Map.Entry<String, String[]> e : NAMES.entrySet()) {
            for (String n : e.getValue()) {
                if (n.equalsIgnoreCase(v)) {
                    return new EkuRequirement(e.getKey());
                }
            }
        }
        throw new IllegalArgumentException("'" + v + "' is neither an OID nor a known purpose name (e.g. "
                + "'TLS Web Client Authentication', 'clientAuth', '1.3.6.1.5.5.7.3.2')");
    }

    static String name(String oid) {
        String[] n = NAMES.get(oid);
        return n == null ? oid : n[0];
    }

    /** Null if the leaf carries the purpose, otherwise the refusal reason. */
    String check(X509Certificate leaf) {
        List<String> ekus;
        try {
            ekus = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            return "EKU lacks " + name(oid) + " (unparsable extended key usage: " + e.getMessage() + ")";
        }
        if (ekus == null) {
            return "EKU lacks " + name(oid) + " (the certificate has no extended key usage)";
        }
        if (ekus.contains(oid)) {
            return null;
        }
        List<String> has = new ArrayList<>();
        for (String e : ekus) {
            has.add(name(e));
        }
        return "EKU lacks " + name(oid) + " (has " + String.join(", ", has) + ")";
    }

    @Override
    public String toString() {
        return name(oid);
    }
}
