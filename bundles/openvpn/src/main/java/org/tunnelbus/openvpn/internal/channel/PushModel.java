package org.tunnelbus.openvpn.internal.channel;

import org.tunnelbus.openvpn.internal.control.IvProtoFlag;
import org.tunnelbus.openvpn.internal.control.PeerInfo;

/**
 * The server-push model (stock {@code --server}): we send no peer-info, and push what the client announced it
 * can do (P_DATA_V2 with a peer-id, tls-ekm), so its announcement alone decides.
 */
public final class PushModel implements ConfigModel {
    private final String ownOptions;
    private final String expectedOptions;

    /**
     * @param ownOptions      our options string
     * @param expectedOptions the options string of a client configured to match us
     */
    public PushModel(String ownOptions, String expectedOptions) {
        this.ownOptions = ownOptions;
        this.expectedOptions = expectedOptions;
    }

    @Override
    public String ownOptions() {
        return ownOptions;
    }

    @Override
    public String expectedOptions() {
        return expectedOptions;
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
