package org.tunnelbus.openvpn.internal.channel;

import org.tunnelbus.openvpn.internal.control.PeerInfo;

/**
 * What differs on the control channel between the two models of the configuration handshake: a server that pushes
 * (stock {@code --server}: PUSH_REPLY settles peer-id, cipher and key derivation) and a peer-to-peer side that
 * agrees (stock TLS without {@code --pull}: both sides derive the same choices from each other's peer-info, and
 * the data channel is up once the keys are). One per session, chosen when the first key method 2 arrives.
 */
public interface ConfigModel {
    /** Our options string. */
    String ownOptions();

    /** The options string a peer configured to match us sends. */
    String expectedOptions();

    /** Our peer-info for key method 2 ("" for none). */
    String peerInfo(boolean exporter);

    /** Whether the data keys come from the TLS exporter (tls-ekm) rather than the OpenVPN PRF. */
    boolean ekm(PeerInfo peer, boolean exporter);

    /** Whether we send P_DATA_V2 with the session's peer-id. */
    boolean dataV2(PeerInfo peer);

    /**
     * Whether the peer learns its settings from a PUSH_REPLY; if not, the session is up as soon as the first key
     * is, and nothing is pushed (a PUSH_REQUEST is ignored).
     */
    boolean pushes();
}
