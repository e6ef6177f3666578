package org.tunnelbus.importer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;

/**
 * A client profile as the common generators write it (openvpn-install, Access Server style): everything inline
 * (ca, cert, key, tls-crypt), remote-cert-tls, verify-x509-name, a second remote, auth-user-pass and
 * redirect-gateway, with real key material.
 */
final class StockClientFixture {
    static final String CONF = String.join("\n",
            "client",                                        // 1
            "dev tun",                                       // 2
            "proto udp",                                     // 3
            "remote vpn.example.com 1194",                   // 4
            "remote vpn2.example.com 1195",                  // 5
            "resolv-retry infinite",                         // 6
            "nobind",                                        // 7
            "persist-key",                                   // 8
            "persist-tun",                                   // 9
            "remote-cert-tls server",                        // 10
            "verify-x509-name server_Xk2 name",              // 11
            "auth SHA512",                                   // 12
            "data-ciphers AES-128-GCM:AES-256-GCM",          // 13
            "cipher AES-128-GCM",                            // 14
            "ignore-unknown-option block-outside-dns",       // 15
            "auth-user-pass",                                // 16
            "auth-nocache",                                  // 17
            "redirect-gateway def1 bypass-dhcp",             // 18
            "reneg-sec 0",                                   // 19
            "explicit-exit-notify",                          // 20
            "verb 3",                                        // 21
            "<ca>", "%CA%</ca>",                             // 22..
            "<cert>", "%CERT%</cert>",
            "<key>", "%KEY%</key>",
            "<tls-crypt>", "%TC%</tls-crypt>",
            "");

    private StockClientFixture() {
    }

    /** Writes NAME.ovpn into {@code dir} with a client certificate of a fresh CA; returns the .ovpn. */
    static Path write(Path dir, String name) throws IOException {
        CertificateAuthority ca = CertificateAuthority.open(dir.resolve("ca-state"), CaPolicy.defaults());
        ca.ensureCa();
        IssuedCertificate client = ca.issueClient("alice");
        Path ovpn = dir.resolve(name + ".ovpn");
        Files.writeString(ovpn, CONF.replace("%CA%", client.caPem()).replace("%CERT%", client.certificatePem())
                .replace("%KEY%", client.privateKeyPem()).replace("%TC%", StockServerFixture.staticKey()));
        return ovpn;
    }
}
