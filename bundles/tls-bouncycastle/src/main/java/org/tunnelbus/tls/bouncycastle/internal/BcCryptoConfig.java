package org.tunnelbus.tls.bouncycastle.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = BcCryptoConfig.PID, name = "Tunnelbus data-channel ciphers (Bouncy Castle)",
        description = "AEAD ciphers for the OpenVPN data channel on Bouncy Castle's low-level AEAD engines. They "
                + "are offered only after their known-answer tests pass on activation.")
public @interface BcCryptoConfig {
    String PID = "org.tunnelbus.tls.bouncycastle.crypto";

    @AttributeDefinition(name = "Ciphers", description = "The OpenVPN cipher names this provider offers: any of "
            + "AES-256-GCM, AES-128-GCM, CHACHA20-POLY1305.")
    String[] data_ciphers() default {"AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305"};

    @AttributeDefinition(name = "Service ranking", description = "Ranking of the DataChannelCipherFactory service "
            + "among crypto providers (higher wins an unfiltered lookup). SunJCE uses AES-NI and CLMUL intrinsics "
            + "and ranks above this pure-Java provider by default.")
    int service_ranking() default 0;
}
