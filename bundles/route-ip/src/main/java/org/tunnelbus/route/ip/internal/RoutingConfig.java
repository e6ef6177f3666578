package org.tunnelbus.route.ip.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = RoutingConfig.PID, name = "Tunnelbus routing",
        description = "Where packets from sessions go: the local TUN/TAP device, or another session.")
public @interface RoutingConfig {
    String PID = "org.tunnelbus.route.ip";

    @AttributeDefinition(name = "Client to client",
            description = "Forward packets between sessions inside the server, like OpenVPN's --client-to-client. "
                    + "Off: such packets go to the device and the host's forwarding rules decide.")
    boolean client_to_client() default false;

    @AttributeDefinition(name = "Check source address",
            description = "Drop packets whose source address is not routed to the session they came from.")
    boolean check_source() default true;
}
