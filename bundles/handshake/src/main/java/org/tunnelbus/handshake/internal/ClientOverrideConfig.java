package org.tunnelbus.handshake.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One client's overrides: the {@code client-config-dir} file of stock OpenVPN, as a factory configuration. */
@ObjectClassDefinition(id = ClientOverrideConfig.PID, name = "Tunnelbus per-client overrides (server push)",
        description = "What one client gets instead of, or in addition to, the push handshake's defaults; applied at "
                + "the client's next connect, and to a connected client by PUSH_UPDATE or by a reconnect after its "
                + "next renegotiation. Like a file in OpenVPN's --client-config-dir.")
public @interface ClientOverrideConfig {
    String PID = "org.tunnelbus.handshake.client";

    @AttributeDefinition(name = "Client name",
            description = "The certificate common name (or username) these overrides apply to.")
    String name();

    @AttributeDefinition(name = "Fixed address", required = false,
            description = "The client's tunnel address, inside the tunnel network; no other client gets it "
                    + "(like --ifconfig-push ADDRESS NETMASK). Empty: from the pool.")
    String address() default "";

    @AttributeDefinition(name = "Extra push options", required = false,
            description = "Options pushed to this client after the global ones, e.g. 'route 10.20.0.0 255.255.0.0' "
                    + "(like --push in a client-config-dir file); comma-separated or one per entry.")
    String[] push() default {};

    @AttributeDefinition(name = "Push reset", required = false,
            description = "Leave out the global extra push options for this client (like --push-reset).")
    boolean push_reset() default false;

    @AttributeDefinition(name = "Networks behind the client", required = false,
            description = "Networks routed into this client's tunnel, e.g. '192.168.50.0/24' (like --iroute); the "
                    + "host needs a route to them into the TUN device.")
    String[] iroute() default {};

    @AttributeDefinition(name = "Disable", required = false,
            description = "Refuse this client (like --disable).")
    boolean disable() default false;
}
