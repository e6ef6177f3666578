package org.tunnelbus.api.handshake;

import java.util.List;

/**
 * What a peer-to-peer side (agreement model, stock's TLS mode without {@code --pull}/{@code --server}) is
 * configured with and must tell its peer before the handshake is served: the protocol module puts the tunnel
 * addresses and the cipher into its options string and announces the data ciphers ({@code IV_CIPHERS}) for
 * stock's p2p cipher negotiation.
 *
 * @param local       our tunnel address ({@code --ifconfig LOCAL REMOTE})
 * @param remote      the peer's tunnel address
 * @param cipher      the configured fallback cipher ({@code --cipher}), or null when unset (stock's BF-CBC
 *                    placeholder, no fallback)
 * @param dataCiphers the data ciphers we accept, preferred first ({@code --data-ciphers})
 */
public record AgreementOptions(String local, String remote, String cipher, List<String> dataCiphers) {
    public AgreementOptions {
        dataCiphers = List.copyOf(dataCiphers);
    }
}
