package org.tunnelbus.handshake.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = AgreementConfig.PID, name = "Tunnelbus configuration handshake (agreement, peer to peer)",
        description = "Both sides are configured alike, as two stock OpenVPN peers without --pull/--server: "
                + "fixed tunnel addresses, the options strings compared, the data cipher negotiated peer to peer.")
public @interface AgreementConfig {
    String PID = "org.tunnelbus.handshake.agreement";

    @AttributeDefinition(name = "Tunnel addresses",
            description = "'LOCAL REMOTE': our tunnel address and the peer's, IPv4, like OpenVPN's --ifconfig on a "
                    + "tun device (the peer says the same the other way round).")
    String ifconfig();

    @AttributeDefinition(name = "Fallback cipher", required = false,
            description = "OpenVPN --cipher: used when the peer does not negotiate (no IV_CIPHERS) or has no data "
                    + "cipher in common. Empty: none, as stock 2.6 without --cipher (such a peer is refused).")
    String cipher() default "";

    @AttributeDefinition(name = "Data ciphers",
            description = "Data ciphers we accept, preferred first, colon-separated (OpenVPN --data-ciphers).")
    String data_ciphers() default "AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305";

    @AttributeDefinition(name = "Strict",
            description = "Refuse a peer whose options differ from ours (naming them) instead of logging a warning.")
    boolean strict() default false;

    @AttributeDefinition(name = "Keepalive ping", description = "Seconds of silence before we send a ping; 0 = never.")
    int keepalive_ping() default 10;

    @AttributeDefinition(name = "Keepalive restart",
            description = "The session ends after twice this many seconds without traffic from the peer, so a "
                    + "vanished peer frees the tunnel for another one; 0 = never, as a stock peer without "
                    + "--ping-restart (set it only when the peer sends pings, e.g. --keepalive 10 60 on both sides).")
    int keepalive_restart() default 0;
}
