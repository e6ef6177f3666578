package org.tunnelbus.openvpn.internal.client;

import java.util.List;

import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.api.handshake.AgreementOptions;
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.handshake.HandshakeRefusedException;
import org.tunnelbus.api.handshake.PeerOptions;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.route.Prefix;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.openvpn.internal.channel.AgreementModel;
import org.tunnelbus.openvpn.internal.control.PeerInfo;

/**
 * The client as a stock 2.6 TLS client without {@code --pull} ({@code handshake.mode = agreement}; stock
 * {@code --tls-client --ifconfig LOCAL REMOTE}): it sends a peer-to-peer options string and peer-info, and once the
 * server's key method 2 is in, settles cipher and key derivation from the server's peer-info through the agreement
 * handshake, as the server does from ours. Nothing is pushed or requested.
 */
final class ClientAgreement {
    private final AgreementModel model;
    private final AgreementOptions options;

    private ClientAgreement(AgreementModel model, AgreementOptions options) {
        this.model = model;
        this.options = options;
    }

    /** @return the agreement of {@code handshake}, or null when it is not the agreement handshake (not configured) */
    static ClientAgreement of(ClientSettings settings, ConfigHandshake handshake) {
        AgreementOptions a = handshake == null ? null : handshake.agreement();
        return a == null ? null : new ClientAgreement(new AgreementModel(settings.occConfig(), a), a);
    }

    String optionsString() {
        return model.ownOptions();
    }

    String peerInfo(boolean exporter) {
        return model.peerInfo(exporter);
    }

    /**
     * Checks the server's options (a warning per difference, or a refusal under {@code strict}), chooses the cipher
     * and puts our side of the tunnel into the session: our address, a route to the peer's.
     *
     * @return what a push would have said: the cipher, no peer-id (P_DATA_V1), tls-ekm if both sides can
     */
    PushedProtocol settle(Session session, ConfigHandshake handshake, String serverOptions, PeerInfo serverInfo,
            boolean exporter) throws HandshakeRefusedException {
        handshake.serve(session, new PeerOptions(serverOptions, serverInfo.variables(), session.name(),
                model.mismatches(serverOptions)));
        TunnelConfig served = session.get(TunnelConfig.KEY);
        session.set(TunnelConfig.KEY, new TunnelConfig(options.local() + "/32", options.remote(), "p2p", served.cipher(),
                served.ping(), served.pingRestart(), List.of(Prefix.parse(options.remote())), List.of()));
        return new PushedProtocol(served.cipher(), DataKeyState.NO_PEER_ID, model.ekm(serverInfo, exporter), false);
    }
}
