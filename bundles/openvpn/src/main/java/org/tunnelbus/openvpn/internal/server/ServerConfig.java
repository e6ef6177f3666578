package org.tunnelbus.openvpn.internal.server;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One OpenVPN 2.6 server listener (factory PID {@value #PID}): one configuration per socket, e.g.
 * {@code config/org.tunnelbus.openvpn.server-main.cfg}. The data-channel ciphers, the tunnel network and
 * what is pushed belong to the configuration handshake ({@code org.tunnelbus.handshake}).
 */
@ObjectClassDefinition(id = ServerConfig.PID, name = "Tunnelbus OpenVPN server",
        description = "A UDP or TCP listener that speaks OpenVPN 2.6 to stock clients (openvpn --client). One "
                + "configuration per socket: a server listens on UDP and TCP at once with two configurations. Changes "
                + "apply to new sessions; sessions already up keep working.")
public @interface ServerConfig {
    String PID = "org.tunnelbus.openvpn.server";

    @AttributeDefinition(name = "Listen address", description = "Local address to bind; 0.0.0.0 for every IPv4 "
            + "address, :: for IPv6 (OpenVPN --local).")
    String listen() default "0.0.0.0";

    @AttributeDefinition(name = "Port", description = "UDP or TCP port (OpenVPN --port).", min = "1", max = "65535")
    int port() default 1194;

    @AttributeDefinition(name = "Protocol", description = "Transport protocol (OpenVPN --proto): udp, or tcp "
            + "(OpenVPN --proto tcp-server; clients use proto tcp-client). Needs the socket module of that protocol "
            + "(tunnelbus.transport.protocol). On TCP one connection is one client: no HMAC cookie, no float, no "
            + "explicit-exit-notify, and a session ends with its connection, as with stock OpenVPN.",
            options = {@Option(label = "UDP", value = "udp"), @Option(label = "TCP", value = "tcp")})
    String proto() default "udp";

    @AttributeDefinition(name = "TLS provider", description = "The SSL module that runs the TLS handshakes of new "
            + "sessions and renegotiations (the tunnelbus.tls.provider of a TlsEngineFactory). Sessions already up keep "
            + "the engine they started with.",
            options = {@Option(label = "Bouncy Castle (with tls-ekm)", value = "bouncycastle"),
                @Option(label = "JSSE (JDK)", value = "jsse")})
    String tls_provider() default "bouncycastle";

    @AttributeDefinition(name = "Minimum TLS version", description = "OpenVPN --tls-version-min.",
            options = {@Option(label = "TLS 1.2", value = "1.2"), @Option(label = "TLS 1.3", value = "1.3")})
    String tls_version_min() default "1.2";

    @AttributeDefinition(name = "CA certificate", description = "PEM file of the CA(s) client certificates must lead to "
            + "(OpenVPN --ca).")
    String ca();

    @AttributeDefinition(name = "Server certificate", description = "PEM file with the server certificate, optionally "
            + "followed by intermediate CA certificates (OpenVPN --cert).")
    String cert();

    @AttributeDefinition(name = "Server private key", description = "PEM file of the server certificate's private key, "
            + "unencrypted, mode 0600 (OpenVPN --key).", type = AttributeType.STRING)
    String key();

    @AttributeDefinition(name = "verify-client-cert", description = "OpenVPN --verify-client-cert. require: a "
            + "client needs a certificate of the CA (the default). optional: a certificate is asked for and verified "
            + "when sent; a client without one must be accepted by another authenticator (e.g. username/password). "
            + "none: no certificate is asked for; another authenticator must accept every client.",
            options = {@Option(label = "require", value = "require"), @Option(label = "optional", value = "optional"),
                @Option(label = "none", value = "none")})
    String verify_client_cert() default "require";

    @AttributeDefinition(name = "auth-gen-token", description = "OpenVPN --auth-gen-token: a client that logged in "
            + "with a username and password gets a session token (pushed auth-token) that it sends instead of the "
            + "password when it renegotiates or reconnects; renewed at each renegotiation.")
    boolean auth_gen_token() default false;

    @AttributeDefinition(name = "duplicate-cn", description = "OpenVPN --duplicate-cn: several clients may connect "
            + "with the same name (certificate CN or username) at once. Off (as stock): a new connection of a name "
            + "replaces the earlier sessions of that name on this listener.")
    boolean duplicate_cn() default false;

    @AttributeDefinition(name = "auth-gen-token lifetime", description = "Seconds after the password login for which "
            + "tokens are accepted; then the client must send its password again. 0: no limit (a token still expires "
            + "two renegotiation intervals after it was issued).", min = "0")
    int auth_gen_token_lifetime() default 0;

    @AttributeDefinition(name = "tls-crypt key", required = false, description = "Static key file (openvpn --genkey secret) "
            + "that encrypts and authenticates every control packet (OpenVPN --tls-crypt). Empty: none. Takes precedence "
            + "over tls-auth.")
    String tls_crypt() default "";

    @AttributeDefinition(name = "tls-auth key", required = false, description = "Static key file for HMAC-only control "
            + "packet authentication (OpenVPN --tls-auth). Empty: none.")
    String tls_auth() default "";

    @AttributeDefinition(name = "tls-auth key direction", required = false, description = "OpenVPN --key-direction for "
            + "tls-auth: 0 (what servers usually use; clients then use 1), 1, or empty for bidirectional.",
            options = {@Option(label = "bidirectional", value = ""), @Option(label = "0", value = "0"),
                @Option(label = "1", value = "1")})
    String tls_auth_direction() default "";

    @AttributeDefinition(name = "Auth digest", description = "OpenVPN --auth: the HMAC digest of tls-auth (and the "
            + "auth item of the options string).",
            options = {@Option(label = "SHA1", value = "SHA1"), @Option(label = "SHA256", value = "SHA256"),
                @Option(label = "SHA512", value = "SHA512")})
    String auth() default "SHA1";

    @AttributeDefinition(name = "Renegotiation interval", description = "Seconds after which the server starts a new "
            + "data-channel key (OpenVPN --reneg-sec; less a random 0-10 %). 0: never (the client may still).", min = "0")
    int reneg_sec() default 3600;

    @AttributeDefinition(name = "Renegotiation volume", description = "Bytes of tunnel traffic (in and out) after "
            + "which the server starts a new data-channel key (OpenVPN --reneg-bytes). 0: no limit.", min = "0")
    int reneg_bytes() default 0;

    @AttributeDefinition(name = "Handshake window", description = "Seconds a TLS handshake and key exchange may take "
            + "(OpenVPN --hand-window).", min = "5")
    int hand_window() default 60;

    @AttributeDefinition(name = "TLS timeout", description = "Seconds before a control packet is retransmitted, doubled "
            + "on each retry (OpenVPN --tls-timeout).", min = "1")
    int tls_timeout() default 2;

    @AttributeDefinition(name = "Handshake mode", description = "Which configuration handshake serves this "
            + "listener's clients: 'push' (a server: address pool, PUSH_REPLY, org.tunnelbus.handshake) or 'agreement' "
            + "(one stock-style TLS peer without --pull, configured alike: org.tunnelbus.handshake.agreement).",
            options = {@Option(value = "push", label = "push"), @Option(value = "agreement", label = "agreement")})
    String handshake_mode() default "push";

    @AttributeDefinition(name = "Maximum clients", description = "Sessions this listener serves at once "
            + "(OpenVPN --max-clients).", min = "1")
    int max_clients() default 1024;

    @AttributeDefinition(name = "Public address", required = false, description = "host[:port] clients connect to, "
            + "written into client profiles (bin/tunnelbus profile). Empty: the listen address.")
    String public_address() default "";

    @AttributeDefinition(name = "Required authentication schemes", required = false, description = "Authenticator "
            + "schemes (tunnelbus.auth.scheme) that must be running and accept every client, e.g. cert. Every running "
            + "Authenticator is consulted anyway; a required one that is not running refuses new clients instead of "
            + "letting them in unchecked. Empty: the CA-verified client certificate alone admits a client, as stock "
            + "OpenVPN does.")
    String[] auth_required() default {};
}
