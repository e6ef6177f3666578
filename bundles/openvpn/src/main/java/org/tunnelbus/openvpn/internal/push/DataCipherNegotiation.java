package org.tunnelbus.openvpn.internal.push;

import java.util.List;
import java.util.Optional;

import org.tunnelbus.openvpn.internal.control.PeerInfo;

/**
 * The server's choice of data cipher for a client (§3.3, §3.4; {@code ssl_ncp.c ncp_get_best_cipher()},
 * {@code tls_peer_ncp_list()}): the first cipher of the server's {@code --data-ciphers} that the client
 * accepts. The client's list is IV_CIPHERS; without it, IV_NCP=2 stands for AES-256-GCM and AES-128-GCM.
 * A client that sent no IV_CIPHERS is also taken to accept the {@code cipher} of its options string (the
 * "poor man's NCP" of old clients, §4).
 */
public final class DataCipherNegotiation {
    static final List<String> NCP_2_CIPHERS = List.of("AES-256-GCM", "AES-128-GCM");

    private DataCipherNegotiation() {
    }

    /**
     * @param serverCiphers  the server's data-ciphers, in preference order
     * @param clientInfo     the client's peer-info
     * @param occCipher      the {@code cipher} value of the client's options string, or null
     * @return the cipher to push, or empty if there is no common one
     */
    public static Optional<String> choose(List<String> serverCiphers, PeerInfo clientInfo, String occCipher) {
        List<String> clientCiphers = clientCiphers(clientInfo);
        String fallback = clientInfo.hasCipherList() || occCipher == null ? "" : occCipher;
        return serverCiphers.stream()
                .filter(c -> clientCiphers.contains(c) || c.equals(fallback))
                .findFirst();
    }

    /** Whether the client negotiates at all (IV_NCP >= 2 or IV_CIPHERS; {@code tls_peer_supports_ncp()}). */
    public static boolean clientSupportsNcp(PeerInfo clientInfo) {
        return clientInfo.ncpVersion() >= 2 || clientInfo.hasCipherList();
    }

    private static List<String> clientCiphers(PeerInfo info) {
        if (info.hasCipherList()) {
            return info.ciphers();
        }
        return info.ncpVersion() >= 2 ? NCP_2_CIPHERS : List.of();
    }
}
