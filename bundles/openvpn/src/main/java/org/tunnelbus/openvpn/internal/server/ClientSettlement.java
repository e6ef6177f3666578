package org.tunnelbus.openvpn.internal.server;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.api.crypto.DataKeys;
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.handshake.HandshakeRefusedException;
import org.tunnelbus.api.handshake.OptionMismatch;
import org.tunnelbus.api.handshake.PeerOptions;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.openvpn.internal.channel.ConfigModel;
import org.tunnelbus.openvpn.internal.channel.ControlChannel;
import org.tunnelbus.openvpn.internal.channel.KeyState;
import org.tunnelbus.openvpn.internal.control.IvProtoFlag;
import org.tunnelbus.openvpn.internal.control.KeyMethod2Message;
import org.tunnelbus.openvpn.internal.control.PeerInfo;
import org.tunnelbus.openvpn.internal.occ.OccComparator;
import org.tunnelbus.openvpn.internal.occ.OccWarning;
import org.tunnelbus.openvpn.internal.push.PushOption;
import org.tunnelbus.openvpn.internal.push.PushReplyBuilder;

/**
 * What the server settles for one client at key id 0 and tells it (wire reference §3.3, §5.2): the configuration
 * from the {@code ConfigHandshake} (address, routes, cipher), the data-channel terms its peer-info allows (P_DATA_V2
 * with a peer-id, tls-ekm), each key id's data key, and the PUSH_REPLY (sent on PUSH_REQUEST, or at once for
 * IV_PROTO bit 2; a repeat within 30 s is ignored, stock's {@code PUSH_MSG_ALREADY_REPLIED}).
 */
final class ClientSettlement {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSettlement.class);
    /** A repeated PUSH_REQUEST within this time is ignored ({@code PUSH_MSG_ALREADY_REPLIED}). */
    static final long PUSH_REPEAT_MILLIS = 30_000;

    private final ServerRole role;
    private final ControlChannel channel;
    private final Session session;
    private PeerInfo peerInfo;
    private String cipher;
    private boolean ekm;
    private boolean dataV2;
    private List<PushOption> pushOptions;
    private boolean pushWanted;
    private long pushedAtMillis = -1;

    ClientSettlement(ServerRole role, ControlChannel channel) {
        this.role = role;
        this.channel = channel;
        this.session = channel.session();
    }

    /** Key id 0: what the client gets from the configuration handshake; false if refused (the role was told). */
    boolean settle(KeyState ks, KeyMethod2Message km, String name, ConfigModel model) {
        PeerInfo info = km.peerInfo();
        peerInfo = info;
        List<OptionMismatch> mismatches = new ArrayList<>();
        for (OccWarning w : OccComparator.compare(model.expectedOptions(), km.options())) {
            LOG.debug("{}: {}", role.who(), w.message());
            mismatches.add(new OptionMismatch(w.option(), w.message()));
        }
        String mode = role.settings().handshakeMode();
        ConfigHandshake handshake = role.context().handshake(mode);
        if (handshake == null) {
            role.refuse(ks, "no configuration handshake service (" + ConfigHandshake.MODE + "=" + mode + ") is running", null);
            return false;
        }
        List<String> options;
        try {
            options = handshake.serve(session, new PeerOptions(km.options(), info.variables(), name, mismatches));
        } catch (HandshakeRefusedException e) {
            role.refuse(ks, e.getMessage(), null);
            return false;
        }
        TunnelConfig config = session.get(TunnelConfig.KEY);
        cipher = config != null && config.cipher() != null ? config.cipher() : optionValue(options, "cipher");
        if (cipher == null) {
            role.refuse(ks, "the configuration handshake chose no data cipher", null);
            return false;
        }
        dataV2 = model.dataV2(info);
        ekm = model.ekm(info, ks.exporter());
        pushWanted = model.pushes() && info.has(IvProtoFlag.REQUEST_PUSH);
        return true;
    }

    /**
     * The data key of {@code ks} into the session (receiving at once; sending once the key takes over). Key id 0 of
     * a push session falls back to the OpenVPN PRF when the exporter fails: the push still tells the client.
     *
     * @param token the auth-token to push with key id 0, or null
     */
    void installKey(KeyState ks, boolean pushes, String token) {
        DataKeyState key;
        try {
            key = ks.deriveDataKey(ekm, cipher, dataV2 ? session.peerId() : DataKeyState.NO_PEER_ID);
        } catch (RuntimeException e) {
            if (!ekm || ks.keyId() != 0 || !pushes) {
                // only a push can still tell the peer to use the PRF; a renegotiation or an agreement cannot
                channel.fail(ks, "tls-ekm: the TLS exporter failed (" + e.getMessage() + ")");
                return;
            }
            LOG.debug("{}: TLS exporter unavailable ({}); using the OpenVPN PRF", role.who(), e.getMessage());
            ekm = false; // not pushed yet: the client follows what we push
            key = ks.deriveDataKey(false, cipher, dataV2 ? session.peerId() : DataKeyState.NO_PEER_ID);
        }
        session.set(DataKeys.KEY, channel.dataKeys().with(key));
        if (ks.keyId() == 0 && pushes) {
            pushOptions = pushOptions(session.get(TunnelConfig.KEY), token);
        }
    }

    /** Stock order: ifconfig, peer-id, cipher, then the token and the protocol flags. */
    private List<PushOption> pushOptions(TunnelConfig config, String token) {
        List<String> lines = new ArrayList<>(config == null ? List.of() : config.options());
        int at = lines.size();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("cipher ")) {
                at = i;
                break;
            }
        }
        if (dataV2) {
            lines.add(at, "peer-id " + session.peerId());
        }
        if (token != null) {
            lines.add("auth-token " + token);
        }
        boolean ccExit = peerInfo.has(IvProtoFlag.CC_EXIT_NOTIFY);
        if (ekm) {
            lines.add(ccExit ? "protocol-flags cc-exit tls-ekm" : "key-derivation tls-ekm");
        } else if (ccExit) {
            lines.add("protocol-flags cc-exit");
        }
        List<PushOption> options = new ArrayList<>();
        for (String l : lines) {
            PushOption o = PushOption.parse(l);
            if (o != null) {
                options.add(o);
            }
        }
        return options;
    }

    /** The client asked (PUSH_REQUEST): push now, or once the keys are ready. @return true if pushed now */
    boolean pushRequested() {
        if (pushOptions == null) {
            pushWanted = true; // keys not ready yet; pushed when they are
            return false;
        }
        if (pushedAtMillis >= 0 && channel.now() - pushedAtMillis < PUSH_REPEAT_MILLIS) {
            return false;
        }
        return push();
    }

    /** Key id 0 took over: push if the client asked already (or announced IV_PROTO bit 2). @return true if pushed */
    boolean pushWhenReady() {
        return pushWanted && pushedAtMillis < 0 && push();
    }

    private boolean push() {
        if (pushOptions == null) {
            return false;
        }
        for (String message : PushReplyBuilder.build(pushOptions)) {
            if (!channel.sendControlMessage(message)) {
                return false;
            }
        }
        pushedAtMillis = channel.now();
        return true;
    }

    /** The client's peer-info from key id 0 (renegotiations authenticate with it). */
    PeerInfo peerInfo() {
        return peerInfo;
    }

    boolean peerSupportsPushUpdate() {
        return peerInfo != null && peerInfo.has(IvProtoFlag.PUSH_UPDATE);
    }

    String cipher() {
        return cipher;
    }

    boolean ekm() {
        return ekm;
    }

    boolean dataV2() {
        return dataV2;
    }

    private static String optionValue(List<String> options, String name) {
        for (String o : options) {
            if (o.startsWith(name + " ")) {
                return o.substring(name.length() + 1).trim();
            }
        }
        return null;
    }
}
