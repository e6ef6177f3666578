package org.tunnelbus.auth.cert.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(id = CertAuthConfig.PID, name = "Tunnelbus certificate authentication",
        description = "Accepts a client whose certificate chains to the configured CA, is neither expired nor revoked, "
                + "carries the required extended key usage and, if set, matches verify-x509-name. The CA and CRL files "
                + "are re-read when they change, without a restart.")
public @interface CertAuthConfig {
    String PID = "org.tunnelbus.auth.cert";

    @AttributeDefinition(name = "CA certificate", description = "Path of the CA certificate (PEM or DER) that client "
            + "certificates must chain to (OpenVPN --ca).")
    String ca() default "";

    @AttributeDefinition(name = "CRL", required = false, description = "Path of the CA's CRL (PEM or DER), optional "
            + "(OpenVPN --crl-verify). Re-read when the file changes; a broken file keeps the last good CRL.")
    String crl() default "";

    @AttributeDefinition(name = "verify-x509-name", required = false,
            description = "Optional name the client certificate must have (OpenVPN --verify-x509-name); see the type.")
    String verify_x509_name() default "";

    @AttributeDefinition(name = "verify-x509-name type", description = "subject: the whole subject DN as OpenSSL prints "
            + "it ('C=DE, O=Example, CN=alice'; an RFC 2253 DN naming the same subject also matches); name: the CN; "
            + "name-prefix: the CN starts with the value.",
            options = {@Option(value = "subject", label = "subject"), @Option(value = "name", label = "name"),
                    @Option(value = "name-prefix", label = "name-prefix")})
    String verify_x509_type() default "subject";

    @AttributeDefinition(name = "Required EKU", description = "Extended key usage the client certificate must carry, "
            + "as an OID or an OpenSSL name (OpenVPN --remote-cert-eku). Empty: no check.")
    String require_eku() default "TLS Web Client Authentication";
}
