package org.tunnelbus.pki.internal;

import java.util.List;
import java.util.Objects;

import org.tunnelbus.pki.IssuedCertificate;

/**
 * A complete OpenVPN 2.6 client profile ({@code .ovpn}) with everything inline, as the stock client reads it with
 * {@code openvpn --config NAME.ovpn}: {@code client}, {@code dev tun}, the transport, {@code remote}, the server
 * checks ({@code remote-cert-tls server}, {@code verify-x509-name}), and {@code <ca> <cert> <key>} plus
 * {@code <tls-crypt>} or {@code <tls-auth>} with {@code key-direction 1}. No deprecated option is written
 * ({@code cipher}, {@code comp-lzo}, {@code ns-cert-type}, {@code key-method}, …): the data ciphers are negotiated
 * (NCP), and the stock default list is the server's.
 *
 * @param certificate  the client's certificate and key
 * @param host         the server's public host name or address ({@code remote})
 * @param port         the server's port
 * @param proto        {@code udp} or {@code tcp}
 * @param serverName   the CN of the server certificate the client must see (verify-x509-name), or null for no check
 * @param staticKeyPem the OpenVPN static key ({@code -----BEGIN OpenVPN Static key V1-----}), or null for none
 * @param keyDirection null: the key is a {@code tls-crypt} key; otherwise it is a {@code tls-auth} key and this the
 *                     client's {@code key-direction} ({@code 0}, {@code 1}, or empty for a bidirectional key)
 * @param authDigest   the {@code auth} digest of tls-auth when it is not the default SHA1, else null
 * @param comments     lines written as {@code # } comments at the top (provenance, where to change what)
 */
public record ClientProfile(IssuedCertificate certificate, String host, int port, String proto, String serverName,
        String staticKeyPem, String keyDirection, String authDigest, List<String> comments) {
    public ClientProfile {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("host '" + host + "' is empty or contains white space");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 1..65535");
        }
        if (!proto.equals("udp") && !proto.equals("tcp")) {
            throw new IllegalArgumentException("proto '" + proto + "' is neither udp nor tcp");
        }
        comments = List.copyOf(comments);
    }

    /** The profile text, lines ending in {@code \n}. */
    public String format() {
        StringBuilder b = new StringBuilder(8192);
        for (String c : comments) {
            b.append(c.isEmpty() ? "#" : "# " + c).append('\n');
        }
        b.append("client\n");
        b.append("dev tun\n");
        b.append("proto ").append(proto.equals("tcp") ? "tcp-client" : "udp").append('\n');
        b.append("remote ").append(host).append(' ').append(port).append('\n');
        b.append("resolv-retry infinite\n");
        b.append("nobind\n");
        if (proto.equals("udp")) {
            b.append("explicit-exit-notify\n"); // tell the server on disconnect, so it frees the session at once
        }
        b.append("remote-cert-tls server\n");
        if (serverName != null && !serverName.isBlank()) {
            b.append("verify-x509-name ").append(serverName).append(" name\n");
        }
        boolean tlsAuth = keyDirection != null;
        if (staticKeyPem != null && tlsAuth && !keyDirection.isEmpty()) {
            b.append("key-direction ").append(keyDirection).append('\n');
        }
        if (staticKeyPem != null && tlsAuth && authDigest != null) {
            b.append("auth ").append(authDigest).append('\n');
        }
        b.append("verb 3\n");
        block(b, "ca", certificate.caPem());
        block(b, "cert", certificate.certificatePem());
        block(b, "key", certificate.privateKeyPem());
        if (staticKeyPem != null) {
            block(b, tlsAuth ? "tls-auth" : "tls-crypt", staticKeyPem);
        }
        return b.toString();
    }

    private static void block(StringBuilder b, String tag, String content) {
        b.append('<').append(tag).append(">\n");
        b.append(content.strip()).append('\n');
        b.append("</").append(tag).append(">\n");
    }
}
