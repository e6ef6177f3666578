package org.tunnelbus.handshake.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = PushConfig.PID, name = "Tunnelbus configuration handshake (server push)",
        description = "What the server pushes to clients: their tunnel address, routes, keepalive and cipher.")
public @interface PushConfig {
    String PID = "org.tunnelbus.handshake";

    @AttributeDefinition(name = "Tunnel network",
            description = "IPv4 network of the tunnel (topology subnet). The server takes the first host address, "
                    + "clients the rest. Like OpenVPN's --server 10.8.0.0 255.255.255.0.")
    String server() default "10.8.0.0/24";

    @AttributeDefinition(name = "Topology", description = "Only 'subnet' is supported.")
    String topology() default "subnet";

    @AttributeDefinition(name = "Data ciphers",
            description = "Allowed data-channel ciphers, preferred first, colon-separated (OpenVPN --data-ciphers).")
    String data_ciphers() default "AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305";

    @AttributeDefinition(name = "Keepalive ping", description = "Seconds of silence before a ping is sent (pushed as 'ping').")
    int keepalive_ping() default 10;

    @AttributeDefinition(name = "Keepalive restart",
            description = "Seconds without traffic before the client restarts (pushed as 'ping-restart'); the server "
                    + "drops a silent client after twice this.")
    int keepalive_restart() default 120;

    @AttributeDefinition(name = "Extra push options",
            description = "Options pushed to every client, one per entry, e.g. 'route 192.168.1.0 255.255.255.0' "
                    + "or 'dhcp-option DNS 10.8.0.1'.")
    String[] push() default {};
}
