package org.tunnelbus.openvpn.internal.session;

import org.tunnelbus.openvpn.internal.control.IvProtoFlag;
import org.tunnelbus.openvpn.internal.control.PeerInfo;
import org.tunnelbus.openvpn.internal.server.ServerSettings;

/**
 * The server-push model (stock {@code --server}): we send no peer-info, and push what the client announced it
 * can do (P_DATA_V2 with a peer-id, tls-ekm), so its announcement alone decides.
 */
final class PushModel implements ConfigModel {
    private final ServerSettings settings;

    PushModel(ServerSettings settings) {
        this.settings = settings;
    }

    @Override
    public String ownOptions() {
        return settings.optionsString();
    }

    @Override
    public String expectedOptions() {
        return settings.expectedClientOptions();
    }

    @Override
    public String peerInfo(boolean exporter) {
        return ""; // a p2mp server sends none (init.c: push_peer_info_detail 0)
    }

    @Override
    public boolean ekm(PeerInfo peer, boolean exporter) {
        return exporter && peer.has(IvProtoFlag.TLS_KEY_EXPORT);
    }

    @Override
    public boolean dataV2(PeerInfo peer) {
        return peer.has(IvProtoFlag.DATA_V2);
    }

    @Override
    public boolean pushes() {
        return true;
    }
}
