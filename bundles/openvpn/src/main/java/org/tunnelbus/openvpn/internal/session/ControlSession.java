package org.tunnelbus.openvpn.internal.session;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;


import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.auth.AuthResult;
import org.tunnelbus.api.auth.Credentials;
import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.api.crypto.DataKeys;
import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.handshake.ConfigUpdate;
import org.tunnelbus.api.handshake.HandshakeRefusedException;
import org.tunnelbus.api.handshake.OptionMismatch;
import org.tunnelbus.api.handshake.PeerOptions;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionState;
import org.tunnelbus.api.tls.TlsInfo;
import org.tunnelbus.openvpn.internal.control.AuthToken;
import org.tunnelbus.openvpn.internal.control.CommonName;
import org.tunnelbus.openvpn.internal.control.ControlMessageCodec;
import org.tunnelbus.openvpn.internal.control.ControlMessageKind;
import org.tunnelbus.openvpn.internal.control.IvProtoFlag;
import org.tunnelbus.openvpn.internal.control.KeyMethod2Message;
import org.tunnelbus.openvpn.internal.control.PeerInfo;
import org.tunnelbus.openvpn.internal.keys.EkmKeyExpansion;
import org.tunnelbus.openvpn.internal.keys.Key2;
import org.tunnelbus.openvpn.internal.keys.KeySource;
import org.tunnelbus.openvpn.internal.keys.PrfKeyExpansion;
import org.tunnelbus.openvpn.internal.occ.OccComparator;
import org.tunnelbus.openvpn.internal.occ.OccWarning;
import org.tunnelbus.openvpn.internal.push.PushOption;
import org.tunnelbus.openvpn.internal.push.PushReplyBuilder;
import org.tunnelbus.openvpn.internal.reliable.ReceivedMessage;
import org.tunnelbus.openvpn.internal.reliable.ReliableChannel;
import org.tunnelbus.openvpn.internal.server.ServerSettings;
import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.DropReason;
import org.tunnelbus.openvpn.internal.wire.HeaderByte;
import org.tunnelbus.openvpn.internal.wire.Opcode;
import org.tunnelbus.openvpn.internal.wire.SessionId;

/**
 * The server side of one client's control channel (stock's {@code struct tls_multi} with its key states),
 * from the first packet after the stateless reset exchange to the end of the session (wire reference
 * §2–§6.4):
 *
 * <pre>
 *   key id 0:  TLS handshake ─▶ client's key method 2 ─▶ ours ─▶ authenticate (every Authenticator)
 *              ─▶ ConfigHandshake.serve ─▶ data keys (tls-ekm or PRF) into the session
 *              ─▶ push: PUSH_REPLY (on PUSH_REQUEST, or at once for IV_PROTO bit 2) ─▶ ACTIVE
 *                 agreement: ACTIVE as soon as the key is (nothing pushed; see {@link ConfigModel})
 *   key id n:  SOFT_RESET (client's, or ours at reneg-sec) ─▶ new TLS handshake ─▶ key method 2
 *              ─▶ re-authenticate ─▶ new data key; it becomes the sending key once our key-method record
 *              is acknowledged, the previous one stays as the lame duck for receiving
 * </pre>
 *
 * <p>Keys, packet-id counters and replay windows of the data channel live in the {@link Session}
 * ({@link DataKeys}); this object keeps only what the control channel needs. All methods run on the
 * listener's control thread. Bad input is refused with a {@link DropReason}, never thrown.
 */
public final class ControlSession {
    private static final Logger LOG = LoggerFactory.getLogger(ControlSession.class);
    /** A lame-duck key state keeps its control channel this long (to re-ACK late retransmissions). */
    static final long LAME_DUCK_CONTROL_MILLIS = 60_000;
    /** A repeated PUSH_REQUEST within this time is ignored ({@code PUSH_MSG_ALREADY_REPLIED}). */
    static final long PUSH_REPEAT_MILLIS = 30_000;
    /** A refused client gets this long to receive AUTH_FAILED before its session goes. */
    static final long REFUSAL_GRACE_MILLIS = 2_000;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ServerContext ctx;
    private final ServerSettings settings;
    private final Session session;
    private final long ownSessionId;
    private final long peerSessionId;
    /** The stateless reset went out with replay id 1; the session continues from there (§2.5). */
    private final ControlDatagrams datagrams = new ControlDatagrams(PacketIdCounter.longFormAfter(1));
    private final long createdMillis;

    private InetSocketAddress remote;
    private KeyState current;
    private KeyState previous;

    private PeerInfo peerInfo;
    /** Push or agreement, chosen at the first key method 2. */
    private ConfigModel model;
    private String identity = "";
    private String cipher;
    private boolean ekm;
    private boolean dataV2;
    private boolean everActive;
    private List<PushOption> pushOptions;
    private boolean pushWanted;
    private long pushedAtMillis = -1;
    private boolean connected;
    private boolean refused;
    /** auth-gen-token: the session id and first-login time of this session's tokens, and the latest token. */
    private AuthToken.Session tokenSession;
    private String authToken;
    private boolean tokenRenewed;
    private long closeAtMillis = Long.MAX_VALUE;
    private String closeReason;
    private boolean ended;
    private final Keepalive keepalive;
    private final ConfigUpdateDelivery updates = new ConfigUpdateDelivery(new UpdatePeer());

    /**
     * @param ownSessionId  our session id: the HMAC cookie the client echoed
     * @param peerSessionId the client's session id
     */
    public ControlSession(ServerContext ctx, ServerSettings settings, Session session, InetSocketAddress remote,
            long ownSessionId, long peerSessionId) {
        if (!SessionId.isDefined(ownSessionId) || !SessionId.isDefined(peerSessionId)) {
            throw new IllegalArgumentException("undefined session id");
        }
        this.ctx = ctx;
        this.settings = settings;
        this.session = session;
        this.remote = remote;
        this.ownSessionId = ownSessionId;
        this.peerSessionId = peerSessionId;
        this.createdMillis = now();
        this.keepalive = new Keepalive(session, createdMillis);
    }

    // =====================================================================================================
    // Lifecycle
    // =====================================================================================================

    /**
     * Sets up key id 0 as if our reset had been sent and ACKed (the stateless exchange, §2.5) and starts its TLS
     * server.
     *
     * @return null, or why the session cannot start (logged by the caller as a refusal)
     */
    public String start() {
        ServerContext.TlsChoice choice = ctx.tlsChoice();
        if (choice == null) {
            return "no TLS provider '" + settings.tlsProvider() + "' is running (tls.provider)";
        }
        try {
            current = newKeyState(0, choice);
        } catch (RuntimeException e) {
            return "the TLS provider '" + choice.provider() + "' refused to start a session: " + e.getMessage();
        }
        current.channel.resumeAfterStatelessReset(peerSessionId);
        return null;
    }

    private KeyState newKeyState(int keyId, ServerContext.TlsChoice choice) {
        ReliableChannel channel = new ReliableChannel(keyId, ownSessionId, ctx.clock(), settings.tlsTimeoutMillis());
        channel.peerSessionId(peerSessionId);
        KeyState ks = new KeyState(this, keyId, channel, now(), settings.handWindowSeconds() * 1000L);
        ks.factory = choice.factory();
        ks.provider = choice.provider();
        ks.tls = choice.factory().create(settings.tlsSpec(), ks);
        ks.tls.begin();
        return ks;
    }

    public Session session() {
        return session;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    public long ownSessionId() {
        return ownSessionId;
    }

    public long peerSessionId() {
        return peerSessionId;
    }

    /** Whether the client got its PUSH_REPLY (the session is up). */
    public boolean isConnected() {
        return connected;
    }

    public boolean hasEnded() {
        return ended;
    }

    /** The settings this session started with. */
    public ServerSettings settings() {
        return settings;
    }

    /** Ends the session through the registry (which tells every SessionListener, the listener included). */
    public void close(String reason) {
        if (ended) {
            return;
        }
        ctx.registry().close(session, reason);
        finish(reason); // no-op if the registry's callback already finished it
    }

    /** The session is gone (closed by anyone): release everything, log the disconnect, leave the listener. */
    public void finish(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        if (current != null) {
            current.close();
        }
        if (previous != null) {
            previous.close();
        }
        session.set(DataKeys.KEY, null); // no key material outlives the session
        authToken = null;
        tokenSession = null;
        if (connected) {
            LOG.info("Client {} ({}) disconnected: {}; up {} s, {} bytes in, {} bytes out", who(), address(), reason,
                    (now() - createdMillis) / 1000, session.bytesIn(), session.bytesOut());
        } else if (!refused) {
            LOG.debug("Handshake with {} ended before the client was connected: {}", address(), reason);
        }
        ctx.ended(this);
    }

    /** Tells the client to reconnect, and ends this session after a grace period for the message to arrive. */
    private void restartClient(String reason) {
        sendRestart();
        session.state(SessionState.CLOSING);
        closeAtMillis = Math.min(closeAtMillis, now() + REFUSAL_GRACE_MILLIS);
        closeReason = "asked to reconnect: " + reason;
    }

    /** Tells a connected client to reconnect (explicit-exit-notify of a stopping server: {@code RESTART}). */
    public void sendRestart() {
        if (connected && !ended) {
            KeyState ks = controlKey();
            if (ks != null) {
                sendControlMessage(ks, "RESTART");
            }
        }
    }

    // =====================================================================================================
    // Receiving
    // =====================================================================================================

    /** A control datagram from our peer (same address, same client session id): unwrap, parse, handle. */
    public DropReason onDatagram(ByteBuffer wire) {
        if (ended) {
            return DropReason.UNKNOWN_SESSION;
        }
        DropReason bad = datagrams.read(wire, settings.controlWrapper(), nowSeconds());
        return bad != null ? bad : receive(datagrams.received());
    }

    /** One parsed, unwrapped control packet of this session. */
    public DropReason receive(ControlPacket packet) {
        if (ended) {
            return DropReason.UNKNOWN_SESSION;
        }
        if (packet.sessionId() != peerSessionId) {
            return DropReason.UNKNOWN_SESSION;
        }
        KeyState ks = keyFor(packet.keyId());
        if (ks == null) {
            if (packet.opcode() == Opcode.SOFT_RESET_V1 && current != null && current.phase == KeyState.Phase.ACTIVE
                    && packet.keyId() == HeaderByte.nextKeyId(current.keyId)) {
                ks = renegotiate("client");
            }
            if (ks == null) {
                return DropReason.KEY_ID_MISMATCH;
            }
        }
        DropReason bad = ks.channel.receive(packet);
        if (bad != null) {
            return bad;
        }
        keepalive.received(now()); // valid control packets count for ping-restart too (§6.5)
        pump(ks);
        return null;
    }

    private KeyState keyFor(int keyId) {
        if (current != null && current.keyId == keyId) {
            return current;
        }
        return previous != null && previous.keyId == keyId ? previous : null;
    }

    /** Feeds in-order messages to TLS, cuts TLS output into packets, advances the phase, sends what is due. */
    private void pump(KeyState ks) {
        ReceivedMessage m;
        while (!ended && ks.phase != KeyState.Phase.FAILED && (m = ks.channel.poll()) != null) {
            if (m.opcode() == Opcode.CONTROL_V1 && m.payload().length > 0) {
                ks.tls.receive(ByteBuffer.wrap(m.payload()));
            }
            // resets carry no TLS data (a hard reset's TLVs are not used by a 2.6 server without tls-crypt-v2)
        }
        if (ended) {
            return;
        }
        ks.queueOutbound(settings.maxTlsChunk());
        if (ks.phase == KeyState.Phase.KEY_SENT && !ks.authPending && ks.channel.allAcknowledged() && !ks.hasOutbound()) {
            activate(ks);
        }
        transmit(ks);
    }

    private void transmit(KeyState ks) {
        if (!ended && !datagrams.sendDue(ks.channel, settings.controlWrapper(), nowSeconds(), wire -> ctx.transmit(remote, wire))) {
            close("control-channel replay ids exhausted");
        }
    }

    // =====================================================================================================
    // TLS callbacks (from inside tls.receive / tls.send on this thread)
    // =====================================================================================================

    void plaintext(KeyState ks, ByteBuffer record) {
        if (ended || ks.phase == KeyState.Phase.FAILED) {
            return;
        }
        try {
            if (ks.peerKeyMethod == null) {
                keyMethod2(ks, record);
            } else {
                controlMessages(record);
            }
        } catch (RuntimeException e) {
            LOG.warn("Control channel of {} ({}) failed on a record of key id {}", who(), address(), ks.keyId, e);
            fail(ks, "internal error: " + e);
        }
    }

    void tlsComplete(KeyState ks) {
        LOG.debug("TLS handshake of {} key id {} complete: {} {}", address(), ks.keyId, ks.provider, ks.tls.describe());
    }

    void tlsFailed(KeyState ks, String reason) {
        fail(ks, "TLS error: " + reason);
    }

    // =====================================================================================================
    // Key method 2, authentication, configuration, data keys
    // =====================================================================================================

    private void keyMethod2(KeyState ks, ByteBuffer record) {
        var parsed = KeyMethod2Message.parse(record, true);
        if (!parsed.isOk()) {
            fail(ks, "bad key-method-2 record (" + parsed.reason().counterName() + ")");
            return;
        }
        KeyMethod2Message km = parsed.value();
        ks.peerKeyMethod = km;
        ks.ownSource = KeySource.random(ctx.random(), false);
        if (model == null) {
            model = ConfigModel.of(settings, ctx.handshake(settings.handshakeMode()));
        }
        // Ours goes out first in any case: the client reads control messages (AUTH_FAILED included) only after it.
        ks.tls.send(ByteBuffer.wrap(KeyMethod2Message.fromServer(ks.ownSource, model.ownOptions(),
                model.peerInfo(ks.factory.supportsExporter())).encode()));
        ks.phase = KeyState.Phase.KEY_SENT;

        PeerInfo info = km.peerInfo();
        List<X509Certificate> chain = ks.tls.peerCertificates();
        String certName = chain.isEmpty() ? "" : CommonName.of(chain.get(0));
        if (identity.isEmpty()) {
            identity = certName;
        }
        if (km.credentialsTooLong()) {
            refuse(ks, "username or password is too long");
            return;
        }
        AuthToken tokens = ctx.authToken();
        boolean byToken = tokens != null && AuthToken.looksLikeToken(km.password());
        if (byToken && !tokenAccepted(ks, tokens, km)) {
            return;
        }
        char[] password = km.password().toCharArray();
        ks.authPending = true;
        ctx.authenticate(new Credentials(chain, km.username(), password, (ks.keyId == 0 ? info : peerInfo).variables(),
                remote, byToken), auth -> {
                    Arrays.fill(password, '\0');
                    ks.authPending = false;
                    if (!ended && ks.phase != KeyState.Phase.FAILED) {
                        authenticated(ks, km, info, certName, byToken, auth);
                        pumpTimers(ks); // our record may be ACKed already: activate now, not at the next tick
                    }
                });
    }

    /** The verdict on key method 2 (back on the control thread): refuse, or settle the configuration and keys. */
    private void authenticated(KeyState ks, KeyMethod2Message km, PeerInfo info, String certName, boolean byToken,
            AuthResult auth) {
        if (!auth.accepted()) {
            refuse(ks, auth.reason());
            return;
        }
        AuthToken tokens = ctx.authToken();
        if (tokens != null && !km.username().isEmpty()) {
            issueToken(tokens, km.username(), byToken ? AuthToken.session(km.password()) : null);
        }
        String name = !auth.identity().isEmpty() ? auth.identity() : !certName.isEmpty() ? certName : km.username();
        if (ks.keyId == 0) {
            if (!firstKey(ks, km, info, name)) {
                return;
            }
        } else if (!name.equals(identity)) {
            // stock: "TLS Auth Error: TLS object CN attempted to change"
            refuse(ks, "identity changed from '" + identity + "' to '" + name + "' on renegotiation");
            return;
        }
        installKeys(ks);
    }

    /**
     * A password shaped like a session token is checked as one (never as a password): its HMAC, that it belongs
     * to this session (on renegotiation), its time window and lifetime. An expired one is refused with stock's
     * {@code AUTH_FAILED,SESSION: token expired}, on which the stock client drops the token and logs in again
     * with its password.
     */
    private boolean tokenAccepted(KeyState ks, AuthToken tokens, KeyMethod2Message km) {
        AuthToken.Verdict v = tokens.verify(km.password(), km.username(), tokenSession, nowSeconds());
        if (v == AuthToken.Verdict.VALID) {
            return true;
        }
        if (v == AuthToken.Verdict.EXPIRED) {
            refuse(ks, "auth-token expired", "SESSION: token expired");
        } else {
            refuse(ks, "invalid auth-token (not ours, for another user or another session)");
        }
        return false;
    }

    /** The token pushed at the first key, or sent at a renegotiation: same session id, issued now. */
    private void issueToken(AuthToken tokens, String username, AuthToken.Session presented) {
        if (tokenSession == null) {
            tokenSession = presented != null ? presented : AuthToken.newSession(ctx.random(), nowSeconds());
        }
        authToken = tokens.issue(username, tokenSession, nowSeconds());
        tokenRenewed = everActive;
    }

    /** Key id 0: who the client is, what it gets; false if refused. */
    private boolean firstKey(KeyState ks, KeyMethod2Message km, PeerInfo info, String name) {
        peerInfo = info;
        identity = name;
        session.name(name);
        List<OptionMismatch> mismatches = new ArrayList<>();
        for (OccWarning w : OccComparator.compare(model.expectedOptions(), km.options())) {
            LOG.debug("{} ({}): {}", name, address(), w.message());
            mismatches.add(new OptionMismatch(w.option(), w.message()));
        }
        ConfigHandshake handshake = ctx.handshake(settings.handshakeMode());
        if (handshake == null) {
            refuse(ks, "no configuration handshake service (" + ConfigHandshake.MODE + "=" + settings.handshakeMode()
                    + ") is running");
            return false;
        }
        List<String> options;
        try {
            options = handshake.serve(session, new PeerOptions(km.options(), info.variables(), name, mismatches));
        } catch (HandshakeRefusedException e) {
            refuse(ks, e.getMessage());
            return false;
        }
        TunnelConfig config = session.get(TunnelConfig.KEY);
        cipher = config != null && config.cipher() != null ? config.cipher() : optionValue(options, "cipher");
        if (cipher == null) {
            refuse(ks, "the configuration handshake chose no data cipher");
            return false;
        }
        dataV2 = model.dataV2(info);
        ekm = model.ekm(info, ks.factory.supportsExporter());
        pushWanted = model.pushes() && info.has(IvProtoFlag.REQUEST_PUSH);
        return true;
    }

    private void installKeys(KeyState ks) {
        Key2 block = null;
        if (ekm) {
            try {
                block = EkmKeyExpansion.derive(ks.tls::exportKeyingMaterial);
            } catch (RuntimeException e) {
                if (ks.keyId != 0 || !model.pushes()) {
                    // only a push can still tell the peer to use the PRF; a renegotiation or an agreement cannot
                    fail(ks, "tls-ekm: the TLS exporter failed (" + e.getMessage() + ")");
                    return;
                }
                LOG.debug("{}: TLS exporter unavailable ({}); using the OpenVPN PRF", address(), e.getMessage());
                ekm = false; // not pushed yet: the client follows what we push
            }
        }
        if (block == null) {
            block = PrfKeyExpansion.derive(ks.peerKeyMethod.keySource(), ks.ownSource, peerSessionId, ownSessionId);
        }
        byte[] bytes = block.toByteArray();
        block.destroy();
        DataKeyState key = new DataKeyState(ks.keyId, cipher, bytes, true,
                dataV2 ? session.peerId() : DataKeyState.NO_PEER_ID, Instant.now());
        Arrays.fill(bytes, (byte) 0);
        session.set(DataKeys.KEY, keys().with(key));
        ks.keysInstalled = true;
        ks.peerKeyMethod.keySource().destroy();
        ks.ownSource.destroy();
        if (ks.keyId == 0 && model.pushes()) {
            pushOptions = pushOptions(session.get(TunnelConfig.KEY));
        }
    }

    private List<PushOption> pushOptions(TunnelConfig config) {
        List<String> lines = new ArrayList<>(config == null ? List.of() : config.options());
        int at = lines.size();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("cipher ")) {
                at = i;
                break;
            }
        }
        if (dataV2) {
            lines.add(at, "peer-id " + session.peerId()); // stock order: ifconfig, peer-id, cipher, flags
        }
        if (authToken != null) {
            lines.add("auth-token " + authToken);
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

    /** Our key-method record was ACKed: the client has the new key too; send with it. */
    private void activate(KeyState ks) {
        ks.phase = KeyState.Phase.ACTIVE;
        ks.activatedMillis = now();
        ks.trafficAtActivation = traffic();
        if (!ks.keysInstalled || refused) {
            return;
        }
        session.set(DataKeys.KEY, keys().promote(ks.keyId));
        session.set(TlsInfo.KEY, new TlsInfo(ks.provider, ks.tls.describe(), ks.keyId));
        if (settings.renegSeconds() > 0) {
            long interval = settings.renegSeconds() * 1000L;
            // a p2mp server takes a random 0-10 % off (init.c), so clients do not renegotiate all at once
            ks.renegotiateAtMillis = ks.activatedMillis + interval - (long) (ctx.random().nextDouble() * interval / 10);
        }
        if (!everActive) {
            everActive = true;
            if (!model.pushes()) {
                connected(ks); // agreed, not pushed: the peer has its settings already
            } else if (pushWanted && pushedAtMillis < 0) {
                sendPush();
            }
        } else {
            if (session.state() == SessionState.RENEGOTIATING) {
                session.state(SessionState.ACTIVE);
            }
            LOG.info("Client {} ({}) renegotiated: key id {} ({} {}) is sending, key id {} kept for receiving", who(),
                    address(), ks.keyId, ks.provider, ks.tls.describe(), previous == null ? "-" : previous.keyId);
            if (tokenRenewed) {
                tokenRenewed = false;
                // stock's send_push_reply_auth_token(): the renewed token as a PUSH_REPLY of its own
                sendControlMessage(ks, "PUSH_REPLY,auth-token " + authToken);
            }
            updates.renegotiated();
        }
    }

    private void refuse(KeyState ks, String reason) {
        refuse(ks, reason, null);
    }

    /** @param clientReason what the client may read after {@code AUTH_FAILED,} (stock's client reason), or null */
    private void refuse(KeyState ks, String reason, String clientReason) {
        if (refused) {
            return;
        }
        refused = true;
        LOG.info("Refused client {} from {}: {}", who(), address(), reason);
        if (ks.phase == KeyState.Phase.KEY_SENT || ks.phase == KeyState.Phase.ACTIVE) {
            sendControlMessage(ks, clientReason == null ? "AUTH_FAILED" : "AUTH_FAILED," + clientReason);
        }
        session.state(SessionState.CLOSING);
        closeAtMillis = now() + REFUSAL_GRACE_MILLIS;
        closeReason = "refused: " + reason;
    }

    private void fail(KeyState ks, String reason) {
        if (ks.phase == KeyState.Phase.FAILED) {
            return;
        }
        ks.phase = KeyState.Phase.FAILED;
        if (ks == current && !everActive) {
            if (!refused) {
                refused = true;
                LOG.info("Refused client {} from {}: {}", who(), address(), reason);
            }
            close(reason);
        } else if (ks == current) {
            LOG.warn("Renegotiation of key id {} with {} ({}) failed: {}; key id {} stays in use", ks.keyId, who(),
                    address(), reason, previous == null ? "-" : previous.keyId);
            session.set(DataKeys.KEY, keys().without(ks.keyId));
            ks.close();
            current = previous;
            previous = null;
            if (session.state() == SessionState.RENEGOTIATING) {
                session.state(SessionState.ACTIVE);
            }
        } else if (ks == previous) {
            ks.close();
            previous = null;
        }
    }

    // =====================================================================================================
    // Control messages and push
    // =====================================================================================================

    private void controlMessages(ByteBuffer record) {
        for (String message : ControlMessageCodec.split(record)) {
            ControlMessageKind kind = ControlMessageKind.of(message);
            switch (kind) {
                case PUSH_REQUEST -> pushRequest();
                case EXIT -> close("client exit (EXIT)");
                default -> LOG.debug("{} ({}): control message ignored: {}", who(), address(),
                        message.length() > 64 ? message.substring(0, 64) + "..." : message);
            }
            if (ended) {
                return;
            }
        }
    }

    private void pushRequest() {
        if (refused) {
            return;
        }
        if (pushOptions == null) {
            pushWanted = true; // keys not ready yet; pushed when they are
            return;
        }
        if (pushedAtMillis >= 0 && now() - pushedAtMillis < PUSH_REPEAT_MILLIS) {
            return;
        }
        sendPush();
    }

    private void sendPush() {
        KeyState ks = controlKey();
        if (ks == null || pushOptions == null) {
            return;
        }
        for (String message : PushReplyBuilder.build(pushOptions)) {
            sendControlMessage(ks, message);
        }
        pushedAtMillis = now();
        connected(ks);
    }

    /** The data channel is up (pushed, or agreed): one INFO line, once. */
    private void connected(KeyState ks) {
        if (connected) {
            return;
        }
        connected = true;
        session.state(SessionState.ACTIVE);
        TunnelConfig config = session.get(TunnelConfig.KEY);
        TlsInfo tls = session.get(TlsInfo.KEY);
        LOG.info("Client {} connected from {}: virtual address {}, cipher {}, keys by {}, TLS {} {}, peer-id {}, {} mode",
                who(), address(), config == null || config.address() == null ? "-" : config.address().split("/")[0],
                cipher, ekm ? "tls-ekm" : "OpenVPN PRF", ks.provider, tls != null ? tls.protocol() : ks.tls.describe(),
                dataV2 ? Integer.toString(session.peerId()) : "none (P_DATA_V1)", settings.handshakeMode());
    }

    /** The key state whose TLS session carries control messages now. */
    private KeyState controlKey() {
        if (current != null && (current.phase == KeyState.Phase.KEY_SENT || current.phase == KeyState.Phase.ACTIVE)) {
            return current;
        }
        return previous != null && previous.phase == KeyState.Phase.ACTIVE ? previous : null;
    }

    private void sendControlMessage(KeyState ks, String message) {
        ks.tls.send(ByteBuffer.wrap(ControlMessageCodec.encode(message)));
        ks.queueOutbound(settings.maxTlsChunk());
        transmit(ks);
    }

    // =====================================================================================================
    // Renegotiation
    // =====================================================================================================

    /**
     * Starts key id {@code current + 1}: our SOFT_RESET (message id 0), a new TLS server session from the provider
     * configured now (or, for a tls-ekm session, one with the exporter). The current key becomes the previous one.
     */
    private KeyState renegotiate(String initiator) {
        ServerContext.TlsChoice choice = ctx.tlsChoice();
        if (ekm && (choice == null || !choice.factory().supportsExporter())) {
            choice = ctx.isAvailable(current.factory) ? new ServerContext.TlsChoice(current.provider, current.factory) : null;
        }
        if (choice == null) {
            LOG.warn("Cannot renegotiate with {} ({}): no TLS provider '{}' is running{}", who(), address(),
                    settings.tlsProvider(), ekm ? " with the exporter this tls-ekm session needs" : "");
            return null;
        }
        int keyId = HeaderByte.nextKeyId(current.keyId);
        KeyState ks;
        try {
            ks = newKeyState(keyId, choice);
        } catch (RuntimeException e) {
            LOG.warn("Cannot renegotiate with {} ({}): TLS provider '{}' refused: {}", who(), address(), choice.provider(),
                    e.getMessage());
            return null;
        }
        ks.channel.queue(Opcode.SOFT_RESET_V1, EMPTY);
        if (previous != null) {
            previous.close();
        }
        previous = current;
        current = ks;
        session.state(SessionState.RENEGOTIATING);
        LOG.debug("Renegotiating with {} ({}): key id {} started by the {}, TLS provider {}", who(), address(), keyId,
                initiator, choice.provider());
        return ks;
    }

    // =====================================================================================================
    // Timers
    // =====================================================================================================

    /** Retransmissions, pending ACKs, keepalive and ping-restart (called often, e.g. every 100 ms). */
    public void tick() {
        if (ended) {
            return;
        }
        if (previous != null) {
            pumpTimers(previous);
        }
        if (current != null) {
            pumpTimers(current);
        }
        if (connected && !refused && !ended) {
            keepalive(now());
        }
    }

    private void pumpTimers(KeyState ks) {
        if (ks.phase == KeyState.Phase.FAILED) {
            return;
        }
        ks.queueOutbound(settings.maxTlsChunk());
        if (ks.phase == KeyState.Phase.KEY_SENT && !ks.authPending && ks.channel.allAcknowledged() && !ks.hasOutbound()) {
            activate(ks);
        }
        transmit(ks);
    }

    /** Deadlines, renegotiation, float (called about once a second). */
    public void housekeeping() {
        if (ended) {
            return;
        }
        long now = now();
        if (now >= closeAtMillis) {
            close(closeReason);
            return;
        }
        InetSocketAddress moved = session.remote();
        if (moved != null && !moved.equals(remote)) {
            ctx.moved(this, remote, moved);
            remote = moved;
        }
        if (current != null && current.phase != KeyState.Phase.ACTIVE && current.phase != KeyState.Phase.FAILED
                && now > current.deadlineMillis) {
            fail(current, "TLS key negotiation did not complete within hand-window (" + settings.handWindowSeconds() + " s)");
            if (ended) {
                return;
            }
        }
        if (previous != null && current != null && current.phase == KeyState.Phase.ACTIVE
                && now - current.activatedMillis > LAME_DUCK_CONTROL_MILLIS) {
            previous.close();
            previous = null;
        }
        if (!connected || refused || session.state() == SessionState.CLOSING) {
            return;
        }
        checkConfigUpdate();
        DataKeys keys = session.get(DataKeys.KEY);
        DataKeyState sending = keys == null ? null : keys.send();
        boolean wrap = sending != null && sending.sendIds().closeToWrapping();
        String due = current == null || current.phase != KeyState.Phase.ACTIVE ? null : RenegotiationTrigger.due("server",
                now, current.renegotiateAtMillis, traffic() - current.trafficAtActivation, settings.renegBytes(), wrap);
        if (due != null) {
            current.renegotiateAtMillis = Long.MAX_VALUE;
            current.trafficAtActivation = traffic(); // a renegotiation that cannot start is tried again later, not at once
            KeyState ks = renegotiate(due);
            if (ks != null) {
                transmit(ks);
            }
        }
    }

    private long traffic() {
        return session.bytesIn() + session.bytesOut();
    }

    /** Asks the handshake whether this client's configuration changed since it was pushed. */
    private void checkConfigUpdate() {
        ConfigHandshake handshake = model.pushes() ? ctx.handshake(settings.handshakeMode()) : null;
        ConfigUpdate update = handshake == null ? null : handshake.update(session);
        if (update != null) {
            updates.offer(update);
        }
    }

    /** The control session as {@link ConfigUpdateDelivery} sees it. */
    private final class UpdatePeer implements ConfigUpdateDelivery.Peer {
        @Override
        public boolean supportsPushUpdate() {
            return peerInfo != null && peerInfo.has(IvProtoFlag.PUSH_UPDATE);
        }

        @Override
        public void send(String message) {
            KeyState ks = controlKey();
            if (ks != null) {
                sendControlMessage(ks, message);
            }
        }

        @Override
        public void restart(String reason) {
            restartClient(reason);
        }

        @Override
        public String who() {
            return ControlSession.this.who() + " (" + address() + ")";
        }
    }

    private void keepalive(long now) {
        TunnelConfig config = session.get(TunnelConfig.KEY);
        if (config == null) {
            return;
        }
        if (keepalive.pingDue(now, config.ping())) {
            ctx.sendPing(session);
        }
        // --keepalive on a server: ping-restart is twice what is pushed (helper.c helper_keepalive())
        if (keepalive.restartDue(now, config.pingRestart() * 2)) {
            close("ping-restart: nothing received for " + keepalive.receiveSilenceMillis(now) / 1000 + " s");
        }
    }

    // =====================================================================================================
    // Helpers
    // =====================================================================================================

    private DataKeys keys() {
        DataKeys k = session.get(DataKeys.KEY);
        return k == null ? DataKeys.NONE : k;
    }

    private long now() {
        return ctx.clock().millis();
    }

    private long nowSeconds() {
        return ctx.clock().instant().getEpochSecond();
    }

    private String who() {
        return identity.isEmpty() ? "(unnamed)" : identity;
    }

    private String address() {
        return remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }

    private static String optionValue(List<String> options, String name) {
        for (String o : options) {
            if (o.startsWith(name + " ")) {
                return o.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "ControlSession[" + who() + " " + address() + ", " + SessionId.toHex(ownSessionId) + "/"
                + SessionId.toHex(peerSessionId) + "]";
    }
}
