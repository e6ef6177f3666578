package org.tunnelbus.tls.jsse.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = JceCryptoConfig.PID, name = "Tunnelbus data-channel ciphers (SunJCE)",
        description = "AEAD ciphers for the OpenVPN data channel on the JDK's SunJCE provider. They are offered only "
                + "after their known-answer tests pass on activation.")
public @interface JceCryptoConfig {
    String PID = "org.tunnelbus.tls.jsse.crypto";

    @AttributeDefinition(name = "Ciphers", description = "The OpenVPN cipher names this provider offers: any of "
            + "AES-256-GCM, AES-128-GCM, CHACHA20-POLY1305.")
    String[] data_ciphers() default {"AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305"};

    @AttributeDefinition(name = "Service ranking", description = "Ranking of the DataChannelCipherFactory service "
            + "among crypto providers (higher wins an unfiltered lookup). SunJCE uses AES-NI and CLMUL intrinsics, "
            + "so it ranks above Bouncy Castle by default.")
    int service_ranking() default 10;
}
