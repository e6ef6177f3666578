package org.tunnelbus.pki.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = PkiConfig.PID, name = "Tunnelbus certificate authority",
        description = "The instance's own CA: issues the server certificate at first start and client certificates "
                + "for profiles, and keeps the CRL.")
public @interface PkiConfig {
    String PID = "org.tunnelbus.pki";

    @AttributeDefinition(name = "State directory",
            description = "Where the CA keeps its key (0600), certificates, index and CRL. Empty: HOME/pki, where HOME "
                    + "is the instance's home (framework property tunnelbus.home).")
    String state_dir() default "";

    @AttributeDefinition(name = "Server certificate name",
            description = "Name (CN) of this instance's own server certificate, issued at first start when the CA has "
                    + "no valid certificate of that name: HOME/pki/issued/NAME.crt with its key in HOME/pki/private/NAME.key, "
                    + "the files the OpenVPN listener uses by default. Empty: issue none.")
    String server_name() default "server";

    @AttributeDefinition(name = "CA name", description = "Common name of the CA certificate; used only when the CA is created.")
    String ca_name() default "Tunnelbus CA";

    @AttributeDefinition(name = "CA validity (days)", description = "Lifetime of a new CA certificate.")
    int ca_validity_days() default 3650;

    @AttributeDefinition(name = "Certificate validity (days)",
            description = "Lifetime of new server and client certificates (never beyond the CA's).")
    int cert_validity_days() default 825;

    @AttributeDefinition(name = "CRL validity (days)",
            description = "Time to a CRL's nextUpdate. Stock OpenVPN refuses every client once its CRL is past nextUpdate; "
                    + "the CRL is re-signed on every revocation and at start when half of this has passed.")
    int crl_validity_days() default 180;
}
