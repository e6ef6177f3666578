package org.tunnelbus.openvpn.internal.client;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.api.crypto.DataKeys;
import org.tunnelbus.api.handshake.HandshakeRefusedException;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.tls.TlsInfo;
import org.tunnelbus.api.tls.TlsRole;
import org.tunnelbus.openvpn.internal.channel.ChannelRole;
import org.tunnelbus.openvpn.internal.channel.ControlChannel;
import org.tunnelbus.openvpn.internal.channel.KeyState;
import org.tunnelbus.openvpn.internal.channel.Outcome;
import org.tunnelbus.openvpn.internal.channel.TlsChoice;
import org.tunnelbus.openvpn.internal.control.CommonName;
import org.tunnelbus.openvpn.internal.control.ControlMessageKind;
import org.tunnelbus.openvpn.internal.control.KeyMethod2Message;
import org.tunnelbus.openvpn.internal.keys.KeySource;
import org.tunnelbus.openvpn.internal.occ.OccMessage;
import org.tunnelbus.openvpn.internal.push.PushOption;
import org.tunnelbus.openvpn.internal.wire.Opcode;
import org.tunnelbus.openvpn.internal.wire.SessionId;

/**
 * The client side of one connection's control channel (a stock 2.6 client, wire reference §3–§5): sends our key
 * method 2 once TLS is up (after checking the server certificate), reads the server's, asks for the push every 5 s
 * until PUSH_REPLY arrives (or, in the agreement model, settles from the server's key method 2), derives the data
 * keys as pushed, applies PUSH_UPDATE, and obeys AUTH_FAILED, RESTART, HALT and EXIT.
 */
public final class ClientRole implements ChannelRole {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRole.class);
    /** A stock client repeats PUSH_REQUEST this often until PUSH_REPLY arrives ({@code PUSH_REQUEST_INTERVAL}). */
    static final long PUSH_REQUEST_INTERVAL_MILLIS = 5_000;

    private final ClientContext ctx;
    private final ClientSettings settings;
    private final ControlChannel channel;
    private final Session session;
    private final ClientPush push;
    private final long startedMillis;
    private TlsChoice tls;
    /** Set in the agreement model (no pull): it settles what a push would say. */
    private ClientAgreement agreement;
    private PushedProtocol pushed;
    private long nextPushRequestMillis = Long.MAX_VALUE;

    ClientRole(ClientContext ctx, ClientSettings settings, ControlChannel channel) {
        this.ctx = ctx;
        this.settings = settings;
        this.channel = channel;
        this.session = channel.session();
        this.push = new ClientPush(ctx, session);
        this.startedMillis = channel.now();
    }

    /** Sends the hard reset of key id 0; the TLS client starts once the server has ACKed it. */
    void start() {
        tls = ctx.tlsChoice();
        if (tls == null) {
            channel.end(Outcome.RECONNECT, "no TLS provider '" + settings.channel().tlsProvider() + "' is running (tls.provider)");
            return;
        }
        if (settings.channel().agreement()) {
            agreement = ClientAgreement.of(settings, ctx.handshake());
            if (agreement == null) {
                channel.end(Outcome.RECONNECT, "handshake.mode = agreement, but no agreement handshake is running "
                        + "(configure org.tunnelbus.handshake.agreement with ifconfig = LOCAL REMOTE)");
                return;
            }
        }
        channel.open(Opcode.HARD_RESET_CLIENT_V2, tls);
    }

    @Override
    public TlsRole tlsRole() {
        return TlsRole.CLIENT;
    }

    /** The connection keeps the provider it started with. */
    @Override
    public TlsChoice renegotiationTls(KeyState current) {
        return tls;
    }

    // =====================================================================================================
    // Key method 2 both ways
    // =====================================================================================================

    /** TLS is up: check the server certificate, then send our key method 2 (credentials, options, peer-info). */
    @Override
    public void tlsEstablished(KeyState ks) {
        String refusal = ServerCertificateCheck.check(ks.peerCertificates(), settings.requireServerCert(),
                settings.verifyName());
        if (refusal != null) {
            channel.fail(ks, refusal);
            return;
        }
        if (session.name().isEmpty() && !ks.peerCertificates().isEmpty()) {
            session.name(CommonName.of(ks.peerCertificates().get(0))); // 'status' shows the server
        }
        KeySource own = KeySource.random(ctx.random(), true);
        boolean exporter = ks.exporter();
        String peerInfo = agreement != null ? agreement.peerInfo(exporter) : ClientPeerInfo.build(settings.ciphers(), exporter);
        String options = agreement != null ? agreement.optionsString() : settings.optionsString();
        ClientCredentials.Secret secret = ctx.credentials().next();
        byte[] record = null;
        try {
            record = KeyMethod2Message.encodeClient(own, options, secret.username(), secret.password(), peerInfo);
            ks.sendKeyMethod(own, record);
        } finally {
            Arrays.fill(secret.password(), (byte) 0);
            if (record != null) {
                Arrays.fill(record, (byte) 0);
            }
        }
    }

    @Override
    public void keyMethod(KeyState ks, ByteBuffer record) {
        var parsed = KeyMethod2Message.parse(record, false);
        if (!parsed.isOk()) {
            channel.fail(ks, "bad key-method-2 record from the server (" + parsed.reason().counterName() + ")");
            return;
        }
        KeyMethod2Message km = parsed.value();
        ks.peerKeyMethod(km.keySource(), km.options(), km.peerInfo());
        if (ks.keyId() != 0 && pushed != null) {
            // a renegotiation keeps cipher and derivation; the server already receives with the new key
            installKey(ks);
        }
    }

    /** Derives the data key of {@code ks} (tls-ekm or PRF, as pushed) and sends with it from now on (§3.3, §6.4). */
    private void installKey(KeyState ks) {
        DataKeyState key;
        try {
            key = ks.deriveDataKey(pushed.ekm(), pushed.cipher(), pushed.peerId());
        } catch (RuntimeException e) {
            channel.fail(ks, "data key derivation failed: " + e.getMessage());
            return;
        }
        session.set(DataKeys.KEY, channel.dataKeys().with(key).promote(ks.keyId()));
        session.set(TlsInfo.KEY, new TlsInfo(settings.channel().tlsProvider(), ks.describeTls(), ks.keyId()));
    }

    // =====================================================================================================
    // Activation, push
    // =====================================================================================================

    /** Our key method 2 was ACKed and the server's read: ask for the push (or agree), or a renegotiation is done. */
    @Override
    public void activated(KeyState ks, boolean first) {
        if (!first) {
            LOG.info("{}: renegotiated, key id {} is sending", who(), ks.keyId());
        } else if (agreement != null) {
            agree(ks);
        } else {
            sendPushRequest();
        }
    }

    private void sendPushRequest() {
        channel.sendControlMessage("PUSH_REQUEST");
        nextPushRequestMillis = channel.now() + PUSH_REQUEST_INTERVAL_MILLIS;
    }

    @Override
    public void controlMessage(KeyState ks, String message) {
        switch (ControlMessageKind.of(message)) {
            case PUSH_REPLY -> pushReply(ks, message);
            case PUSH_UPDATE -> pushUpdate(message);
            case AUTH_FAILED -> authFailed(message);
            case RESTART -> channel.end(nextServerFlag(message) ? Outcome.RECONNECT : Outcome.RECONNECT_SAME,
                    "the server asked us to reconnect (" + message + ")");
            case HALT -> channel.end(Outcome.HALT, "the server told us to stop (" + message + ")");
            case EXIT -> channel.end(Outcome.RECONNECT, "the server is going down (EXIT)");
            default -> LOG.debug("{}: control message ignored: {}", who(),
                    message.length() > 64 ? message.substring(0, 64) + "..." : message);
        }
    }

    /** {@code RESTART,[N]...}: the server wants us at the next server of our list (stock {@code server_pushed_signal()}). */
    private static boolean nextServerFlag(String message) {
        int open = message.indexOf('[');
        int close = message.indexOf(']');
        return message.startsWith("RESTART,[") && close > open && message.substring(open, close).contains("N");
    }

    /**
     * Stock {@code receive_auth_failed()}: a refused auth-token (expired, or the server restarted) is dropped and we
     * log in again with the password; anything else stops us ({@code auth-retry none}, stock's default).
     */
    private void authFailed(String message) {
        if (ctx.credentials().dropToken()) {
            channel.end(Outcome.RECONNECT_SAME, "the server refused our auth-token (" + message + "); logging in again "
                    + "with the password");
        } else {
            channel.end(Outcome.HALT, "the server refused us: " + message);
        }
    }

    private void pushReply(KeyState ks, String message) {
        List<PushOption> options = push.reply(message, who());
        if (options == null) {
            return;
        }
        if (pushed != null) {
            LOG.debug("{}: another PUSH_REPLY after the tunnel is up; ignored", who());
            return;
        }
        PushedProtocol protocol = PushedProtocol.of(options);
        String refusal = checkPush(ks, protocol);
        if (refusal == null) {
            refusal = push.apply(options, "pushed configuration");
        }
        if (refusal != null) {
            channel.end(Outcome.RECONNECT, refusal);
            return;
        }
        up(ks, protocol);
    }

    /** 2.7's PUSH_UPDATE: new routes or DNS options while connected, applied without reconnecting. */
    private void pushUpdate(String message) {
        if (pushed == null) {
            LOG.warn("{}: PUSH_UPDATE dropped (before PUSH_REPLY)", who());
            return;
        }
        ClientPush.Update update = push.update(message, who());
        if (update == null) {
            return;
        }
        if (update.inForce() == null) {
            channel.end(Outcome.RECONNECT_SAME, "the server sent a PUSH_UPDATE this client cannot apply while connected ("
                    + update.change() + "); reconnecting for it");
            return;
        }
        String refusal = push.apply(update.inForce(), "PUSH_UPDATE");
        if (refusal != null) {
            channel.end(Outcome.RECONNECT, refusal);
            return;
        }
        LOG.info("{}: PUSH_UPDATE applied: {}", who(), update.change());
        ctx.updated(this, session.get(TunnelConfig.KEY));
    }

    /** Agreement model: no push; the server's key method 2 settles what a PUSH_REPLY would have. */
    private void agree(KeyState ks) {
        PushedProtocol protocol;
        try {
            protocol = agreement.settle(session, ctx.handshake(), ks.peerOptions(), ks.peerInfo(), ks.exporter());
        } catch (HandshakeRefusedException e) {
            channel.end(Outcome.RECONNECT, "refused the server's options (handshake.mode=agreement): " + e.getMessage());
            return;
        }
        up(ks, protocol);
    }

    /** The tunnel's settings are known (pushed or agreed): data keys, then up. */
    private void up(KeyState ks, PushedProtocol protocol) {
        pushed = protocol;
        nextPushRequestMillis = Long.MAX_VALUE;
        installKey(ks);
        if (channel.hasEnded() || ks.phase() == KeyState.Phase.FAILED) {
            return;
        }
        channel.up();
        TunnelConfig config = session.get(TunnelConfig.KEY);
        LOG.info("Connected to {}: address {}, cipher {}, keys by {}, TLS {}, peer-id {}", session.remote(),
                config == null || config.address() == null ? "-" : config.address(), protocol.cipher(),
                protocol.ekm() ? "tls-ekm" : "OpenVPN PRF", ks.describeTls(),
                protocol.peerId() == DataKeyState.NO_PEER_ID ? "none (P_DATA_V1)" : protocol.peerId());
        ctx.up(this, config);
    }

    /** @return null if we can run what was pushed, else why not (stock: "negotiated cipher not allowed") */
    private String checkPush(KeyState ks, PushedProtocol protocol) {
        if (protocol.cipher() == null) {
            return "the server pushed no data cipher (a pre-2.4 server; not supported)";
        }
        if (!settings.ciphers().contains(protocol.cipher())) {
            return "the server pushed cipher " + protocol.cipher() + ", which is not in data.ciphers "
                    + String.join(":", settings.ciphers());
        }
        if (protocol.ekm() && !ks.exporter()) {
            return "the server pushed tls-ekm but TLS provider '" + settings.channel().tlsProvider() + "' has no exporter";
        }
        return null;
    }

    @Override
    public void failedToConnect(String reason) {
        channel.end(Outcome.RECONNECT, reason);
    }

    // =====================================================================================================
    // Leaving, timers, the end
    // =====================================================================================================

    /**
     * We are leaving (explicit-exit-notify): EXIT on the control channel when the server negotiated cc-exit, else
     * the OCC_EXIT data message (§5.4); nothing over TCP, where the closing connection says it. Ends the connection
     * with {@link Outcome#HALT}.
     */
    void exit(String reason) {
        if (channel.hasEnded()) {
            return;
        }
        if (settings.proto().exitNotify() && pushed != null) {
            if (pushed.ccExit()) {
                channel.sendControlMessage("EXIT");
            } else {
                ctx.sendData(session, OccMessage.encode(OccMessage.Opcode.EXIT));
            }
        }
        channel.end(Outcome.HALT, reason);
    }

    @Override
    public void tick(long nowMillis) {
        if (!channel.isUp() && nowMillis >= nextPushRequestMillis) {
            sendPushRequest();
        }
    }

    @Override
    public void housekeeping(long nowMillis) {
        if (!channel.isUp() && nowMillis - startedMillis > settings.channel().handWindowMillis()) {
            channel.end(Outcome.RECONNECT, "no connection within hand-window (" + settings.channel().handWindowMillis() / 1000
                    + " s): the server did not answer, or refused us silently (tls-crypt/tls-auth key?)");
        }
    }

    @Override
    public int pingRestartSeconds(TunnelConfig config) {
        return config.pingRestart();
    }

    @Override
    public long renegotiationDelayMillis(long intervalMillis) {
        return intervalMillis;
    }

    @Override
    public void ended(Outcome outcome, String reason) {
        ctx.down(this, outcome, reason);
    }

    /** The protocol settings the server pushed, or null before PUSH_REPLY. */
    PushedProtocol pushed() {
        return pushed;
    }

    ControlChannel channel() {
        return channel;
    }

    @Override
    public String who() {
        return "OpenVPN client " + SessionId.toHex(channel.ownSessionId()) + " to " + session.remote();
    }
}
