package org.tunnelbus.handshake.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The data cipher of a peer-to-peer session, as two stock 2.6 peers settle it without a push ({@code ssl_ncp.c
 * get_p2p_ncp_cipher()}, {@code init.c do_deferred_p2p_ncp()}): the first cipher of the TLS server's
 * {@code data-ciphers} that the TLS client lists (ours when we are the TLS server, the peer's {@code IV_CIPHERS}
 * when it is). Both
 * sides compute the same answer from the same two lists, so nothing is pushed. Failing that (a peer that sends
 * no {@code IV_CIPHERS}, or no cipher in common), each side uses its own {@code --cipher} as fallback, and
 * without one stock gives up ("No usable data channel cipher").
 */
final class P2pCipherChoice {
    private P2pCipherChoice() {
    }

    /**
     * @param ours        our data ciphers, preferred first
     * @param peerInfo    the peer's IV_* variables
     * @param fallback    our configured {@code cipher}, or null
     * @param peerIsServer whether the peer is the TLS server (then its list is the one in preference order)
     * @return the cipher, or null if there is none to use
     */
    static String choose(List<String> ours, Map<String, String> peerInfo, String fallback, boolean peerIsServer) {
        String ivCiphers = peerInfo.get("IV_CIPHERS");
        if (ivCiphers != null) {
            List<String> theirs = Arrays.stream(ivCiphers.split(":")).map(String::trim).toList();
            String common = peerIsServer ? CipherNegotiation.firstCommon(theirs, ours) : CipherNegotiation.firstCommon(ours, theirs);
            if (common != null) {
                return common;
            }
        }
        return fallback;
    }
}
