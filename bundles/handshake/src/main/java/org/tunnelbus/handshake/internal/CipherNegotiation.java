package org.tunnelbus.handshake.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Picks the data-channel cipher for a client as a stock 2.6 server does ({@code ssl_ncp.c}
 * {@code ncp_get_best_cipher()}): the first cipher of the server's {@code data-ciphers} that the client
 * lists in {@code IV_CIPHERS}; for an older client that only says {@code IV_NCP=2}, AES-256-GCM or
 * AES-128-GCM; failing both, the {@code cipher} item of the client's options string ("poor man's NCP").
 */
final class CipherNegotiation {
    private CipherNegotiation() {
    }

    /** The chosen cipher, or null if the client and the server have none in common. */
    static String choose(List<String> serverCiphers, Map<String, String> peerInfo, String optionsString) {
        String ivCiphers = peerInfo.get("IV_CIPHERS");
        if (ivCiphers != null) {
            List<String> client = Arrays.stream(ivCiphers.split(":")).map(String::trim).toList();
            return firstCommon(serverCiphers, client);
        }
        if ("2".equals(peerInfo.get("IV_NCP")) || parseInt(peerInfo.get("IV_NCP")) >= 2) {
            String c = firstCommon(serverCiphers, List.of("AES-256-GCM", "AES-128-GCM"));
            if (c != null) {
                return c;
            }
        }
        String fromOptions = optionsCipher(optionsString);
        return fromOptions != null ? firstCommon(serverCiphers, List.of(fromOptions)) : null;
    }

    /** The first of {@code server} that {@code client} lists too (the server's preference decides), or null. */
    static String firstCommon(List<String> server, List<String> client) {
        for (String s : server) {
            for (String c : client) {
                if (s.equalsIgnoreCase(c)) {
                    return s;
                }
            }
        }
        return null;
    }

    private static String optionsCipher(String options) {
        if (options == null) {
            return null;
        }
        for (String item : options.split(",")) {
            if (item.startsWith("cipher ")) {
                return item.substring("cipher ".length()).trim();
            }
        }
        return null;
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
