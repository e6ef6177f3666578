package org.tunnelbus.openvpn.internal.client;

import java.util.List;

import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.openvpn.internal.push.PushOption;

/**
 * The protocol settings a PUSH_REPLY carries for the control channel itself, as a stock client reads them
 * ({@code options.c}; wire reference §5.2): the data cipher, the peer-id for P_DATA_V2, tls-ekm key derivation
 * and cc-exit. The tunnel settings (address, routes, keepalive) are the configuration handshake's job.
 *
 * @param cipher the pushed data cipher, or null if none was pushed
 * @param peerId the pushed peer-id, or {@link DataKeyState#NO_PEER_ID} (then we send P_DATA_V1)
 * @param ekm    data keys from the TLS exporter instead of the OpenVPN PRF
 * @param ccExit the server understands the EXIT control message
 */
record PushedProtocol(String cipher, int peerId, boolean ekm, boolean ccExit) {

    static PushedProtocol of(List<PushOption> options) {
        String cipher = null;
        int peerId = DataKeyState.NO_PEER_ID;
        boolean ekm = false;
        boolean ccExit = false;
        for (PushOption o : options) {
            switch (o.name()) {
                case "cipher" -> cipher = o.arguments().isEmpty() ? null : o.argument(0);
                case "peer-id" -> peerId = peerId(o);
                case "key-derivation" -> ekm |= o.arguments().contains("tls-ekm");
                case "protocol-flags" -> {
                    ekm |= o.arguments().contains("tls-ekm");
                    ccExit |= o.arguments().contains("cc-exit");
                }
                default -> { }
            }
        }
        return new PushedProtocol(cipher, peerId, ekm, ccExit);
    }

    private static int peerId(PushOption o) {
        try {
            int id = Integer.parseInt(o.argument(0));
            return id >= 0 && id < 0xFFFFFF ? id : DataKeyState.NO_PEER_ID; // 0xFFFFFF: "no peer-id" (§6.7)
        } catch (RuntimeException e) {
            return DataKeyState.NO_PEER_ID;
        }
    }
}
