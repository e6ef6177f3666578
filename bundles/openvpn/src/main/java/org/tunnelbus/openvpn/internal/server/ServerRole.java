package org.tunnelbus.openvpn.internal.server;

import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.auth.AuthResult;
import org.tunnelbus.api.auth.Credentials;
import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.api.crypto.DataKeys;
import org.tunnelbus.api.handshake.AgreementOptions;
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.session.PeerControl;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionState;
import org.tunnelbus.api.tls.TlsInfo;
import org.tunnelbus.api.tls.TlsRole;
import org.tunnelbus.openvpn.internal.channel.AgreementModel;
import org.tunnelbus.openvpn.internal.channel.ChannelRole;
import org.tunnelbus.openvpn.internal.channel.ConfigModel;
import org.tunnelbus.openvpn.internal.channel.ControlChannel;
import org.tunnelbus.openvpn.internal.channel.KeyState;
import org.tunnelbus.openvpn.internal.channel.Outcome;
import org.tunnelbus.openvpn.internal.channel.PushModel;
import org.tunnelbus.openvpn.internal.channel.TlsChoice;
import org.tunnelbus.openvpn.internal.control.AuthToken;
import org.tunnelbus.openvpn.internal.control.CommonName;
import org.tunnelbus.openvpn.internal.control.ControlMessageKind;
import org.tunnelbus.openvpn.internal.control.KeyMethod2Message;
import org.tunnelbus.openvpn.internal.keys.KeySource;

/**
 * The server side of one client's control channel (a stock 2.6 p2mp server, wire reference §3–§5): reads the
 * client's key method 2 and answers with ours, authenticates it off the control thread (every Authenticator,
 * auth-gen-token), settles its configuration through the {@code ConfigHandshake} ({@link ClientSettlement}),
 * derives the data keys, pushes, and keeps a connected client up to date ({@link ConfigUpdateDelivery}). A refused
 * client gets {@code AUTH_FAILED} and its session ends 2 s later.
 */
final class ServerRole implements ChannelRole {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRole.class);
    /** A refused client gets this long to receive AUTH_FAILED (or RESTART) before its session goes. */
    static final long REFUSAL_GRACE_MILLIS = 2_000;

    private final ServerContext ctx;
    private final ServerSettings settings;
    private final ControlChannel channel;
    private final Session session;
    private final long createdMillis;
    private final SessionTokens tokens = new SessionTokens();
    private final ClientSettlement settlement;
    private final ConfigUpdateDelivery updates = new ConfigUpdateDelivery(new UpdatePeer());
    private String identity = "";
    /** Push or agreement, chosen at the first key method 2. */
    private ConfigModel model;
    private boolean connected;
    private boolean refused;

    ServerRole(ServerContext ctx, ServerSettings settings, ControlChannel channel) {
        this.ctx = ctx;
        this.settings = settings;
        this.channel = channel;
        this.session = channel.session();
        this.createdMillis = channel.now();
        this.settlement = new ClientSettlement(this, channel);
        // operators (management, web console) end the session through the api; the client is told first
        session.set(PeerControl.KEY, (notice, reason) -> ctx.onControlThread(() -> disconnect(notice, reason)));
    }

    @Override
    public TlsRole tlsRole() {
        return TlsRole.SERVER;
    }

    /** A tls-ekm session renegotiates with a provider that has the exporter: the configured one, else its own. */
    @Override
    public TlsChoice renegotiationTls(KeyState current) {
        TlsChoice choice = ctx.tlsChoice();
        boolean ekm = settlement.ekm();
        if (ekm && (choice == null || !choice.factory().supportsExporter())) {
            choice = ctx.isAvailable(current.tlsChoice().factory()) ? current.tlsChoice() : null;
        }
        if (choice == null) {
            LOG.warn("Cannot renegotiate with {}: no TLS provider '{}' is running{}", who(), settings.tlsProvider(),
                    ekm ? " with the exporter this tls-ekm session needs" : "");
        }
        return choice;
    }

    @Override
    public void tlsEstablished(KeyState ks) {
        LOG.debug("TLS handshake of {} key id {} complete: {} {}", address(), ks.keyId(), ks.provider(), ks.describeTls());
    }

    // =====================================================================================================
    // Key method 2 and authentication
    // =====================================================================================================

    /**
     * The client's key method 2. Ours answers it once the client is judged (as stock, whose key method 2 follows its
     * verification): the client cannot send with a data key we have not installed yet.
     */
    @Override
    public void keyMethod(KeyState ks, ByteBuffer record) {
        var parsed = KeyMethod2Message.parse(record, true);
        if (!parsed.isOk()) {
            channel.fail(ks, "bad key-method-2 record (" + parsed.reason().counterName() + ")");
            return;
        }
        KeyMethod2Message km = parsed.value();
        if (model == null) {
            model = modelOf(ctx.handshake(settings.handshakeMode()));
        }
        ks.peerKeyMethod(km.keySource(), km.options(), km.peerInfo());

        List<X509Certificate> chain = ks.peerCertificates();
        String certName = chain.isEmpty() ? "" : CommonName.of(chain.get(0));
        if (identity.isEmpty()) {
            identity = certName;
        }
        if (km.credentialsTooLong()) {
            refuse(ks, "username or password is too long", null);
            return;
        }
        AuthToken issuer = ctx.authToken();
        boolean byToken = issuer != null && AuthToken.looksLikeToken(km.password());
        if (byToken && !tokenAccepted(ks, issuer, km)) {
            return;
        }
        char[] password = km.password().toCharArray();
        ks.awaitVerdict();
        var variables = (ks.keyId() == 0 ? km.peerInfo() : settlement.peerInfo()).variables();
        ctx.authenticate(new Credentials(chain, km.username(), password, variables, channel.remote(), byToken), auth -> {
            Arrays.fill(password, '\0');
            ks.verdict();
            if (!channel.hasEnded() && ks.phase() != KeyState.Phase.FAILED) {
                authenticated(ks, km, certName, byToken, auth);
                channel.resume(ks); // our record may be ACKed already: activate now, not at the next tick
            }
        });
    }

    /** An expired token gets stock's {@code AUTH_FAILED,SESSION: token expired}: the client logs in again. */
    private boolean tokenAccepted(KeyState ks, AuthToken issuer, KeyMethod2Message km) {
        AuthToken.Verdict v = tokens.verify(issuer, km.password(), km.username(), channel.nowSeconds());
        if (v == AuthToken.Verdict.VALID) {
            return true;
        }
        if (v == AuthToken.Verdict.EXPIRED) {
            refuse(ks, "auth-token expired", "SESSION: token expired");
        } else {
            refuse(ks, "invalid auth-token (not ours, for another user or another session)", null);
        }
        return false;
    }

    /** The verdict (back on the control thread): refuse, or settle the configuration and the data key. */
    private void authenticated(KeyState ks, KeyMethod2Message km, String certName, boolean byToken, AuthResult auth) {
        if (!auth.accepted()) {
            refuse(ks, auth.reason(), null);
            return;
        }
        AuthToken issuer = ctx.authToken();
        if (issuer != null && !km.username().isEmpty()) {
            tokens.issue(issuer, km.username(), byToken ? km.password() : null, ctx.random(), channel.nowSeconds(),
                    channel.isUp());
        }
        String name = !auth.identity().isEmpty() ? auth.identity() : !certName.isEmpty() ? certName : km.username();
        if (ks.keyId() == 0) {
            identity = name;
            session.name(name);
            replaceDuplicates(name);
            if (!settlement.settle(ks, km, name, model)) {
                return;
            }
        } else if (!name.equals(identity)) {
            // stock: "TLS Auth Error: TLS object CN attempted to change"
            refuse(ks, "identity changed from '" + identity + "' to '" + name + "' on renegotiation", null);
            return;
        }
        answer(ks);
        settlement.installKey(ks, model.pushes(), tokens.token());
    }

    /** Stock without {@code --duplicate-cn}: this connection replaces the earlier sessions of the same name. */
    private void replaceDuplicates(String name) {
        if (!settings.duplicateCn()) {
            int n = ctx.endOthersNamed(session, "replaced by a new connection of " + name + " (no duplicate.cn)");
            if (n > 0) {
                LOG.info("Client {} from {}: the new connection replaces {} earlier session(s) of that name (set duplicate.cn "
                        + "= true on the listener to let several clients use one certificate or username)", name, address(), n);
            }
        }
    }

    /** An operator ended the session: the client is told ({@code RESTART} or {@code HALT}), then the session goes. */
    private void disconnect(PeerControl.Notice notice, String reason) {
        if (channel.hasEnded()) {
            return;
        }
        if (channel.isUp()) {
            channel.sendControlMessage(notice.name());
        }
        channel.closeAfter(REFUSAL_GRACE_MILLIS, reason);
    }

    /** Our key method 2 for {@code ks}, once (its key source is ours for the data key). */
    private void answer(KeyState ks) {
        if (ks.phase() == KeyState.Phase.TLS) {
            KeySource own = KeySource.random(ctx.random(), false);
            ks.sendKeyMethod(own, KeyMethod2Message.fromServer(own, model.ownOptions(), model.peerInfo(ks.exporter()))
                    .encode());
        }
    }

    private ConfigModel modelOf(ConfigHandshake handshake) {
        AgreementOptions agreement = handshake == null ? null : handshake.agreement();
        if ("agreement".equals(settings.handshakeMode()) && agreement != null) {
            return new AgreementModel(settings.occConfig(), agreement);
        }
        return new PushModel(settings.optionsString(), settings.expectedClientOptions());
    }

    // =====================================================================================================
    // Activation, push, control messages
    // =====================================================================================================

    /** Our key method 2 was ACKed: the client has the new key too; send with it. */
    @Override
    public void activated(KeyState ks, boolean first) {
        if (refused || channel.dataKeys().forKeyId(ks.keyId()) == null) {
            return;
        }
        session.set(DataKeys.KEY, channel.dataKeys().promote(ks.keyId()));
        session.set(TlsInfo.KEY, new TlsInfo(ks.provider(), ks.describeTls(), ks.keyId()));
        if (first) {
            if (!model.pushes()) {
                connected(ks); // agreed, not pushed: the peer has its settings already
            } else if (settlement.pushWhenReady()) {
                connected(ks);
            }
            return;
        }
        LOG.info("Client {} ({}) renegotiated: key id {} ({} {}) is sending, key id {} kept for receiving", name(),
                address(), ks.keyId(), ks.provider(), ks.describeTls(), previousKeyId(ks));
        String renewed = tokens.takeRenewed();
        if (renewed != null) {
            // stock's send_push_reply_auth_token(): the renewed token as a PUSH_REPLY of its own
            channel.sendControlMessage("PUSH_REPLY,auth-token " + renewed);
        }
        updates.renegotiated();
    }

    private String previousKeyId(KeyState ks) {
        DataKeyState lameDuck = channel.dataKeys().lameDuck();
        return lameDuck == null || lameDuck.keyId() == ks.keyId() ? "-" : Integer.toString(lameDuck.keyId());
    }

    @Override
    public void controlMessage(KeyState ks, String message) {
        switch (ControlMessageKind.of(message)) {
            case PUSH_REQUEST -> {
                if (!refused && settlement.pushRequested()) {
                    connected(ks);
                }
            }
            case EXIT -> channel.end(Outcome.HALT, "client exit (EXIT)");
            default -> LOG.debug("{}: control message ignored: {}", who(),
                    message.length() > 64 ? message.substring(0, 64) + "..." : message);
        }
    }

    /** The data channel is up (pushed, or agreed): one INFO line, once. */
    private void connected(KeyState ks) {
        if (connected) {
            return;
        }
        connected = true;
        channel.up();
        TunnelConfig config = session.get(TunnelConfig.KEY);
        TlsInfo tls = session.get(TlsInfo.KEY);
        LOG.info("Client {} connected from {}: virtual address {}, cipher {}, keys by {}, TLS {} {}, peer-id {}, {} mode",
                name(), address(), config == null || config.address() == null ? "-" : config.address().split("/")[0],
                settlement.cipher(), settlement.ekm() ? "tls-ekm" : "OpenVPN PRF", ks.provider(),
                tls != null ? tls.protocol() : ks.describeTls(),
                settlement.dataV2() ? Integer.toString(session.peerId()) : "none (P_DATA_V1)", settings.handshakeMode());
    }

    /**
     * Refuses the client: one log line, our key method 2 (the client reads control messages only after it), then
     * {@code AUTH_FAILED} (with stock's client reason, if any), and the end of the session after a grace period.
     */
    void refuse(KeyState ks, String reason, String clientReason) {
        if (refused) {
            return;
        }
        refused = true;
        LOG.info("Refused client {} from {}: {}", name(), address(), reason);
        answer(ks);
        channel.sendControlMessage(clientReason == null ? "AUTH_FAILED" : "AUTH_FAILED," + clientReason);
        channel.closeAfter(REFUSAL_GRACE_MILLIS, "refused: " + reason);
    }

    @Override
    public void failedToConnect(String reason) {
        if (!refused) {
            refused = true;
            LOG.info("Refused client {} from {}: {}", name(), address(), reason);
        }
        channel.end(Outcome.HALT, reason);
    }

    /** Tells the client to reconnect, and ends this session after a grace period for the message to arrive. */
    private void restartClient(String reason) {
        if (channel.isUp()) {
            channel.sendControlMessage("RESTART");
        }
        channel.closeAfter(REFUSAL_GRACE_MILLIS, "asked to reconnect: " + reason);
    }

    // =====================================================================================================
    // Timers and the end
    // =====================================================================================================

    @Override
    public void tick(long nowMillis) {
        // nothing of its own: a server waits for the client's PUSH_REQUEST
    }

    /** Float (the data path saw the client at a new address), then configuration changes of a connected client. */
    @Override
    public void housekeeping(long nowMillis) {
        var moved = session.remote();
        if (moved != null && !moved.equals(channel.remote())) {
            ctx.moved(channel, channel.remote(), moved);
            channel.moveTo(moved);
        }
        ConfigHandshake handshake = channel.isUp() && model.pushes() ? ctx.handshake(settings.handshakeMode()) : null;
        var update = handshake == null ? null : handshake.update(session);
        if (update != null) {
            updates.offer(update);
        }
    }

    /** {@code --keepalive} on a server: ping-restart is twice what is pushed ({@code helper.c helper_keepalive()}). */
    @Override
    public int pingRestartSeconds(TunnelConfig config) {
        return config.pingRestart() * 2;
    }

    /** A p2mp server takes a random 0–10 % off ({@code init.c}), so clients do not renegotiate all at once. */
    @Override
    public long renegotiationDelayMillis(long intervalMillis) {
        return intervalMillis - (long) (ctx.random().nextDouble() * intervalMillis / 10);
    }

    /** The session is gone: the registry (and every SessionListener) is told, the disconnect logged. */
    @Override
    public void ended(Outcome outcome, String reason) {
        tokens.clear();
        session.set(PeerControl.KEY, null);
        if (session.state() != SessionState.CLOSED) {
            ctx.registry().close(session, reason);
        }
        if (connected) {
            LOG.info("Client {} ({}) disconnected: {}; up {} s, {} bytes in, {} bytes out", name(), address(), reason,
                    (channel.now() - createdMillis) / 1000, session.bytesIn(), session.bytesOut());
        } else if (!refused) {
            LOG.debug("Handshake with {} ended before the client was connected: {}", address(), reason);
        }
        ctx.ended(channel);
    }

    // =====================================================================================================
    // Names
    // =====================================================================================================

    ServerContext context() {
        return ctx;
    }

    ServerSettings settings() {
        return settings;
    }

    @Override
    public String who() {
        return name() + " (" + address() + ")";
    }

    private String name() {
        return identity.isEmpty() ? "(unnamed)" : identity;
    }

    private String address() {
        return ServerSettings.format(channel.remote());
    }

    /** The control session as {@link ConfigUpdateDelivery} sees it. */
    private final class UpdatePeer implements ConfigUpdateDelivery.Peer {
        @Override
        public boolean supportsPushUpdate() {
            return settlement.peerSupportsPushUpdate();
        }

        @Override
        public void send(String message) {
            channel.sendControlMessage(message);
        }

        @Override
        public void restart(String reason) {
            restartClient(reason);
        }

        @Override
        public String who() {
            return ServerRole.this.who();
        }
    }
}
