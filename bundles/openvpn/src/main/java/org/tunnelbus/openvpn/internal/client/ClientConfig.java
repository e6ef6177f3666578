package org.tunnelbus.openvpn.internal.client;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One OpenVPN 2.6 client connection (factory PID {@value #PID}), e.g.
 * {@code config/org.tunnelbus.openvpn.client-office.cfg}: the server to connect to over UDP or TCP and the
 * credentials, in the words of the stock client options they mirror.
 */
@ObjectClassDefinition(id = ClientConfig.PID, name = "Tunnelbus OpenVPN client",
        description = "Connects to an OpenVPN 2.6 server (stock or Tunnelbus) over UDP or TCP, applies what it pushes and "
                + "routes the local TUN device's traffic into the tunnel. Changes reconnect.")
public @interface ClientConfig {
    String PID = "org.tunnelbus.openvpn.client";

    @AttributeDefinition(name = "Servers", description = "The server (OpenVPN --remote): host name or IP address, "
            + "optionally followed by its port ('vpn1.example.org 1194'); several entries are tried in order, a failed or "
            + "lost connection moving on to the next. Resolved again at every connection attempt.")
    String[] remote();

    @AttributeDefinition(name = "Random server order", description = "Try the servers in a random order (OpenVPN "
            + "--remote-random).")
    boolean remote_random() default false;

    @AttributeDefinition(name = "Connect timeout", description = "Seconds a TCP connection to a server may take "
            + "before the next attempt (OpenVPN --connect-timeout).", min = "1", max = "3600")
    int connect_timeout() default 120;

    @AttributeDefinition(name = "Port", description = "UDP or TCP port of the server.", min = "1", max = "65535")
    int port() default 1194;

    @AttributeDefinition(name = "Protocol", description = "OpenVPN --proto: udp, or tcp (tcp-client) to connect to a "
            + "proto tcp-server. Over TCP the closing connection tells the server we left (no exit notification) and "
            + "a lost connection reconnects after the backoff.",
            options = {@Option(label = "UDP", value = "udp"), @Option(label = "TCP", value = "tcp")})
    String proto() default "udp";

    @AttributeDefinition(name = "Local address", description = "Address to send from; 0.0.0.0 with port 0 is "
            + "OpenVPN --nobind.")
    String local() default "0.0.0.0";

    @AttributeDefinition(name = "Local port", description = "0 picks a free port at every attempt (--nobind).",
            min = "0", max = "65535")
    int lport() default 0;

    @AttributeDefinition(name = "TLS provider", description = "The SSL module that runs the TLS handshakes.",
            options = {@Option(label = "Bouncy Castle (with tls-ekm)", value = "bouncycastle"),
                @Option(label = "JSSE (JDK)", value = "jsse")})
    String tls_provider() default "bouncycastle";

    @AttributeDefinition(name = "Minimum TLS version", options = {@Option(label = "TLS 1.2", value = "1.2"),
        @Option(label = "TLS 1.3", value = "1.3")})
    String tls_version_min() default "1.2";

    @AttributeDefinition(name = "CA certificate", description = "PEM file of the CA the server certificate must lead "
            + "to (OpenVPN --ca).")
    String ca();

    @AttributeDefinition(name = "Client certificate", description = "PEM file (OpenVPN --cert).")
    String cert();

    @AttributeDefinition(name = "Client private key", description = "Unencrypted PEM file, mode 0600 (OpenVPN --key).",
            type = AttributeType.STRING)
    String key();

    @AttributeDefinition(name = "Username/password file", required = false, description = "File with the username "
            + "on line 1 and the password on line 2, mode 0600 (OpenVPN --auth-user-pass FILE); read again at every "
            + "connection attempt. A pushed auth-token replaces the password for renegotiations and reconnections. "
            + "Empty: no credentials (a certificate-only server).")
    String auth_user_pass() default "";

    @AttributeDefinition(name = "Server name", required = false, description = "The server certificate's CN must be "
            + "exactly this (OpenVPN --verify-x509-name NAME name). Empty: any CN the CA signed.")
    String verify_x509_name() default "";

    @AttributeDefinition(name = "Require a server certificate", description = "The server certificate must carry the "
            + "TLS Web Server Authentication key usage (OpenVPN --remote-cert-tls server).")
    boolean remote_cert_tls() default true;

    @AttributeDefinition(name = "tls-crypt key", required = false, description = "Static key file shared with the "
            + "server (OpenVPN --tls-crypt). Takes precedence over tls-auth.")
    String tls_crypt() default "";

    @AttributeDefinition(name = "tls-auth key", required = false, description = "Static key file (OpenVPN --tls-auth).")
    String tls_auth() default "";

    @AttributeDefinition(name = "tls-auth key direction", required = false, description = "OpenVPN --key-direction: "
            + "1 (what clients of a key-direction 0 server use), 0, or empty for bidirectional.")
    String tls_auth_direction() default "";

    @AttributeDefinition(name = "tls-auth digest", description = "OpenVPN --auth for tls-auth.")
    String auth() default "SHA1";

    @AttributeDefinition(name = "Data ciphers", description = "Ciphers offered to the server, colon-separated "
            + "(OpenVPN --data-ciphers). The server's choice must be one of them.")
    String data_ciphers() default "AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305";

    @AttributeDefinition(name = "Renegotiation interval", description = "Seconds between data-key renegotiations "
            + "started by the client (OpenVPN --reneg-sec); 0 leaves it to the server.", min = "0")
    int reneg_sec() default 3600;

    @AttributeDefinition(name = "Renegotiation volume", description = "Bytes of tunnel traffic (in and out) after "
            + "which the client starts a new data-channel key (OpenVPN --reneg-bytes). 0: no limit.", min = "0")
    int reneg_bytes() default 0;

    @AttributeDefinition(name = "Configuration handshake", description = "'push': pull the configuration from a "
            + "server (OpenVPN --client). 'agreement': one stock-style TLS peer without --pull (OpenVPN --tls-client "
            + "--ifconfig LOCAL REMOTE): nothing is pushed, the tunnel addresses come from "
            + "org.tunnelbus.handshake.agreement, and cipher and key derivation are settled from each other's peer-info.",
            options = {@Option(value = "push", label = "push"), @Option(value = "agreement", label = "agreement")})
    String handshake_mode() default "push";

    @AttributeDefinition(name = "Handshake window", description = "Seconds a connection attempt or renegotiation may "
            + "take (OpenVPN --hand-window).", min = "5", max = "3600")
    int hand_window() default 60;

    @AttributeDefinition(name = "TLS timeout", description = "Seconds before a control packet is resent, doubling "
            + "(OpenVPN --tls-timeout).", min = "1", max = "60")
    int tls_timeout() default 2;

    @AttributeDefinition(name = "First retry delay", description = "Seconds before the first reconnection attempt; "
            + "doubles with every failed attempt (OpenVPN --connect-retry).", min = "1")
    int connect_retry() default 1;

    @AttributeDefinition(name = "Longest retry delay", description = "Upper bound of the doubling delay (OpenVPN "
            + "--connect-retry second argument).", min = "1")
    int connect_retry_max() default 300;

    @AttributeDefinition(name = "TUN device", required = false, description = "Name of the TUN device the client "
            + "configures (a device-tun factory configuration it creates through Config Admin, with the pushed address "
            + "and routes). Empty: the client configures no device; a device-tun configuration of your own carries the "
            + "traffic.")
    String device() default "tun-client";

    @AttributeDefinition(name = "TUN MTU", min = "576", max = "9000")
    int device_mtu() default 1500;
}
