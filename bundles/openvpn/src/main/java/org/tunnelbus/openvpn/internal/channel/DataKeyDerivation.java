package org.tunnelbus.openvpn.internal.channel;

import java.time.Instant;
import java.util.Arrays;

import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.openvpn.internal.keys.EkmKeyExpansion;
import org.tunnelbus.openvpn.internal.keys.Key2;
import org.tunnelbus.openvpn.internal.keys.PrfKeyExpansion;

/**
 * A key state's data key (wire reference §3.3): from the TLS exporter (tls-ekm), or from the OpenVPN PRF over both
 * sides' key sources and session ids, the client's half first. Intermediate key material is wiped.
 */
final class DataKeyDerivation {
    private DataKeyDerivation() {
    }

    /**
     * @param server whether we are the TLS server (our key source is the server's half)
     * @throws RuntimeException when the TLS exporter fails
     */
    static DataKeyState derive(KeyState ks, boolean ekm, boolean server, long ownSessionId, long peerSessionId,
            String cipher, int peerId) {
        Key2 block = ekm ? EkmKeyExpansion.derive(ks.tls::exportKeyingMaterial)
                : server ? PrfKeyExpansion.derive(ks.peerSource, ks.ownSource, peerSessionId, ownSessionId)
                        : PrfKeyExpansion.derive(ks.ownSource, ks.peerSource, ownSessionId, peerSessionId);
        byte[] bytes = block.toByteArray();
        block.destroy();
        DataKeyState key = new DataKeyState(ks.keyId, cipher, bytes, server, peerId, Instant.now());
        Arrays.fill(bytes, (byte) 0);
        ks.destroySources();
        return key;
    }
}
