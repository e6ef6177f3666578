package org.tunnelbus.tls.bouncycastle.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(id = BcTlsConfig.PID, name = "Tunnelbus TLS engine (Bouncy Castle)",
        description = "TLS for the OpenVPN control channel on Bouncy Castle's TLS protocol engine, with the RFC 5705 "
                + "exporter (tls-ekm). Applies to new TLS sessions; sessions already up keep the settings they "
                + "started with.")
public @interface BcTlsConfig {
    String PID = "org.tunnelbus.tls.bouncycastle";

    @AttributeDefinition(name = "Minimum TLS version", description = "Lowest TLS version accepted (OpenVPN "
            + "--tls-version-min). A session that asks for more gets more, never less.",
            options = {@Option(label = "TLS 1.2", value = "1.2"), @Option(label = "TLS 1.3", value = "1.3")})
    String tls_min_version() default "1.2";

    @AttributeDefinition(name = "Maximum TLS version", description = "Highest TLS version offered (OpenVPN "
            + "--tls-version-max).",
            options = {@Option(label = "TLS 1.2", value = "1.2"), @Option(label = "TLS 1.3", value = "1.3")})
    String tls_max_version() default "1.3";

    @AttributeDefinition(name = "Cipher suites", required = false,
            description = "Allowed TLS cipher suites by IANA name, preferred first, e.g. TLS_AES_256_GCM_SHA384 or "
                    + "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384. Empty: the built-in list of ECDHE/AEAD suites.")
    String[] tls_cipher_suites() default {};

    @AttributeDefinition(name = "Service ranking",
            description = "Ranking of the TlsEngineFactory service among SSL modules (higher wins an unfiltered "
                    + "lookup). Bouncy Castle has the exporter, so it ranks above JSSE by default.")
    int service_ranking() default 10;
}
