package org.tunnelbus.openvpn.internal.client;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.tunnelbus.openvpn.internal.control.IvProtoFlag;
import org.tunnelbus.openvpn.internal.control.PeerInfo;

/**
 * The peer-info a Tunnelbus client sends in key method 2 (wire reference §3.2): what it implements, so that
 * a stock server pushes only what we understand.
 */
final class ClientPeerInfo {
    static final String VERSION = "2.6.14";

    private ClientPeerInfo() {
    }

    /**
     * @param ciphers  our data ciphers (IV_CIPHERS); IV_NCP=2 only if both GCM ciphers are among them, as stock
     * @param exporter whether the TLS provider has the RFC 5705 exporter (IV_PROTO bit 3, tls-ekm)
     */
    static String build(List<String> ciphers, boolean exporter) {
        // PUSH_UPDATE (a 2.7 bit): a 2.6 server ignores it, a 2.7 or Tunnelbus server sends route changes live
        Set<IvProtoFlag> flags = EnumSet.of(IvProtoFlag.DATA_V2, IvProtoFlag.REQUEST_PUSH, IvProtoFlag.CC_EXIT_NOTIFY,
                IvProtoFlag.PUSH_UPDATE);
        if (exporter) {
            flags.add(IvProtoFlag.TLS_KEY_EXPORT);
        }
        PeerInfo.Builder b = PeerInfo.builder()
                .put(PeerInfo.IV_VER, VERSION)
                .put(PeerInfo.IV_PLAT, "linux")
                .put(PeerInfo.IV_PROTO, Integer.toString(IvProtoFlag.encode(flags)));
        if (ciphers.contains("AES-256-GCM") && ciphers.contains("AES-128-GCM")) {
            b.put(PeerInfo.IV_NCP, "2");
        }
        b.put(PeerInfo.IV_CIPHERS, String.join(":", ciphers));
        return b.build().encode();
    }
}
