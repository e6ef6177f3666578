package org.tunnelbus.importer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;

/**
 * A server.conf in the shape of OpenVPN's sample (comments, ';' alternatives, files next to it) plus
 * tls-crypt inline, data-ciphers and a few directives Tunnelbus does not support, with real key material.
 */
final class StockServerFixture {
    static final String CONF = String.join("\n",
            "# Sample-style OpenVPN 2.6 server configuration",         // 1
            ";local a.b.c.d",                                            // 2
            "port 1194",                                                 // 3
            ";proto tcp",                                                // 4
            "proto udp",                                                 // 5
            "dev tun",                                                   // 6
            "ca ca.crt",                                                 // 7
            "cert server.crt",                                           // 8
            "key server.key  # This file should be kept secret",         // 9
            "dh dh2048.pem",                                             // 10
            "topology subnet",                                           // 11
            "server 10.8.0.0 255.255.255.0",                             // 12
            "ifconfig-pool-persist /var/log/openvpn/ipp.txt",            // 13
            "push \"route 192.168.10.0 255.255.255.0\"",                 // 14
            "push \"dhcp-option DNS 10.8.0.1\"",                         // 15
            ";client-config-dir ccd",                                    // 16
            "client-to-client",                                          // 17
            "keepalive 10 120",                                          // 18
            "<tls-crypt>",                                               // 19
            "%TLS_CRYPT%</tls-crypt>",                                   // 20.. (key is 18 lines)
            "data-ciphers AES-256-GCM:CHACHA20-POLY1305",                // 39
            "tls-version-min 1.2",                                       // 40
            "remote-cert-tls client",                                    // 41
            "crl-verify crl.pem",                                        // 42
            "max-clients 100",                                           // 43
            "user nobody",                                               // 44
            "group nogroup",                                             // 45
            "persist-key",                                               // 46
            "persist-tun",                                               // 47
            "status /var/log/openvpn/openvpn-status.log",                // 48
            "verb 3",                                                    // 49
            "mute 20",                                                   // 50
            "management 127.0.0.1 7505",                                 // 51
            "explicit-exit-notify 1",                                    // 52
            "");

    private StockServerFixture() {
    }

    /** Writes server.conf and its files into {@code dir}; returns the server.conf. */
    static Path write(Path dir) throws IOException {
        CertificateAuthority ca = CertificateAuthority.open(dir.resolve("ca-state"), CaPolicy.defaults());
        ca.ensureCa();
        IssuedCertificate server = ca.issueServer("server");
        Files.writeString(dir.resolve("ca.crt"), server.caPem());
        Files.writeString(dir.resolve("server.crt"), server.certificatePem());
        Files.writeString(dir.resolve("server.key"), server.privateKeyPem());
        Files.copy(ca.crlFile(), dir.resolve("crl.pem"));
        Path conf = dir.resolve("server.conf");
        Files.writeString(conf, CONF.replace("%TLS_CRYPT%", staticKey()));
        return conf;
    }

    /** An OpenVPN static key file (openvpn --genkey secret): 256 random bytes, 16 per line. */
    static String staticKey() {
        byte[] key = new byte[256];
        new SecureRandom().nextBytes(key);
        StringBuilder b = new StringBuilder("-----BEGIN OpenVPN Static key V1-----\n");
        for (int i = 0; i < 16; i++) {
            b.append(HexFormat.of().formatHex(key, i * 16, i * 16 + 16)).append('\n');
        }
        return b.append("-----END OpenVPN Static key V1-----\n").toString();
    }
}
