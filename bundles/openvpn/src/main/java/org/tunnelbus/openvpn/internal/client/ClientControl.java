package org.tunnelbus.openvpn.internal.client;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.api.crypto.DataKeys;
import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.handshake.HandshakeRefusedException;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionState;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.api.tls.TlsInfo;
import org.tunnelbus.openvpn.internal.client.ClientContext.Outcome;
import org.tunnelbus.openvpn.internal.control.CommonName;
import org.tunnelbus.openvpn.internal.control.ControlMessageCodec;
import org.tunnelbus.openvpn.internal.control.ControlMessageKind;
import org.tunnelbus.openvpn.internal.control.KeyMethod2Message;
import org.tunnelbus.openvpn.internal.data.KeepalivePing;
import org.tunnelbus.openvpn.internal.keys.EkmKeyExpansion;
import org.tunnelbus.openvpn.internal.keys.Key2;
import org.tunnelbus.openvpn.internal.keys.KeySource;
import org.tunnelbus.openvpn.internal.keys.PrfKeyExpansion;
import org.tunnelbus.openvpn.internal.occ.OccMessage;
import org.tunnelbus.openvpn.internal.push.PushOption;
import org.tunnelbus.openvpn.internal.push.PushReply;
import org.tunnelbus.openvpn.internal.push.PushReplyCollector;
import org.tunnelbus.openvpn.internal.push.PushReplyParser;
import org.tunnelbus.openvpn.internal.push.PushUpdate;
import org.tunnelbus.openvpn.internal.reliable.ReceivedMessage;
import org.tunnelbus.openvpn.internal.reliable.ReliableChannel;
import org.tunnelbus.openvpn.internal.session.ControlDatagrams;
import org.tunnelbus.openvpn.internal.session.Keepalive;
import org.tunnelbus.openvpn.internal.session.RenegotiationTrigger;
import org.tunnelbus.openvpn.internal.tlswrap.ControlChannelWrapper;
import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.DropReason;
import org.tunnelbus.openvpn.internal.wire.HeaderByte;
import org.tunnelbus.openvpn.internal.wire.Opcode;
import org.tunnelbus.openvpn.internal.wire.SessionId;

/**
 * The client side of one connection's control channel, from our hard reset to the end (wire reference §2–§6):
 *
 * <pre>
 *   key id 0: HARD_RESET_CLIENT_V2 ─▶ server's reset (its session id: the HMAC cookie) ─▶ ACK it, TLS client
 *             ─▶ our key method 2 ─▶ server's ─▶ PUSH_REQUEST (every 5 s) ─▶ PUSH_REPLY ─▶ ConfigHandshake.apply
 *             ─▶ data keys (tls-ekm if pushed, else the OpenVPN PRF) with the pushed peer-id ─▶ up
 *   key id n: SOFT_RESET (the server's, or ours at reneg-sec) ─▶ new TLS client ─▶ key method 2 ─▶ new data key,
 *             sent with at once; the previous key stays for receiving (lame duck)
 * </pre>
 *
 * <p>Data keys, the tunnel configuration and the state live in the {@link Session}; every method runs on the
 * connector's control thread. Bad input is dropped with a {@link DropReason}, never thrown. The end of the
 * connection is reported once through {@link ClientContext#down}.
 */
public final class ClientControl {
    private static final Logger LOG = LoggerFactory.getLogger(ClientControl.class);
    /** A stock client repeats PUSH_REQUEST this often until PUSH_REPLY arrives ({@code PUSH_REQUEST_INTERVAL}). */
    static final long PUSH_REQUEST_INTERVAL_MILLIS = 5_000;
    /** A lame-duck key keeps its control channel this long (to re-ACK late retransmissions). */
    static final long LAME_DUCK_CONTROL_MILLIS = 60_000;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ClientContext ctx;
    private final ClientSettings settings;
    private final Session session;
    private final ControlChannelWrapper wrapper;
    private final int maxChunk;
    private final long ownSessionId;
    private final ControlDatagrams datagrams = new ControlDatagrams(PacketIdCounter.longForm());
    private final PushReplyCollector pushParts = new PushReplyCollector();
    private final PushReplyCollector updateParts = new PushReplyCollector();
    private final Keepalive keepalive;
    private final long startedMillis;

    private long peerSessionId = SessionId.UNDEFINED;
    private TlsEngineFactory tlsFactory;
    private ClientKey current;
    private ClientKey previous;
    private PushedProtocol pushed;
    /** Set in the agreement model (no pull): it settles what a push would say. */
    private ClientAgreement agreement;
    private long nextPushRequestMillis = Long.MAX_VALUE;
    private boolean ended;

    public ClientControl(ClientContext ctx, ClientSettings settings, Session session) {
        this.ctx = ctx;
        this.settings = settings;
        this.session = session;
        this.wrapper = settings.newWrapper();
        this.maxChunk = settings.maxTlsChunk(wrapper);
        this.ownSessionId = SessionId.random(ctx.random());
        this.startedMillis = now();
        this.keepalive = new Keepalive(session, startedMillis);
    }

    // =====================================================================================================
    // Lifecycle
    // =====================================================================================================

    /** Sends the hard reset of key id 0; the TLS client starts once the server has ACKed it. */
    public void start() {
        tlsFactory = ctx.tlsFactory();
        if (tlsFactory == null) {
            end(Outcome.RECONNECT, "no TLS provider '" + settings.tlsProvider() + "' is running (tls.provider)");
            return;
        }
        if (settings.agreement()) {
            agreement = ClientAgreement.of(settings, ctx.handshake());
            if (agreement == null) {
                end(Outcome.RECONNECT, "handshake.mode = agreement, but no agreement handshake is running (configure "
                        + "org.tunnelbus.handshake.agreement with ifconfig = LOCAL REMOTE)");
                return;
            }
        }
        current = newKey(0, Opcode.HARD_RESET_CLIENT_V2);
        transmit(current);
    }

    private ClientKey newKey(int keyId, Opcode reset) {
        ReliableChannel channel = new ReliableChannel(keyId, ownSessionId, ctx.clock(), settings.tlsTimeoutMillis());
        if (SessionId.isDefined(peerSessionId)) {
            channel.peerSessionId(peerSessionId);
        }
        ClientKey ks = new ClientKey(this, keyId, channel, now() + settings.handWindowMillis());
        channel.queue(reset, EMPTY); // resets carry no payload: 2.6 would parse one as TLVs (§2.6)
        return ks;
    }

    public Session session() {
        return session;
    }

    /** Whether PUSH_REPLY was applied and data keys are in the session. */
    public boolean isUp() {
        return pushed != null && !ended;
    }

    public boolean hasEnded() {
        return ended;
    }

    /** The protocol settings the server pushed, or null before PUSH_REPLY. */
    PushedProtocol pushed() {
        return pushed;
    }

    /**
     * We are leaving (explicit-exit-notify): EXIT on the control channel when the server negotiated cc-exit,
     * else the OCC_EXIT data message (§5.4); nothing over TCP, where the closing connection says it. Ends the
     * connection with {@link Outcome#HALT}.
     */
    public void exit(String reason) {
        if (ended) {
            return;
        }
        if (!settings.proto().exitNotify()) {
            end(Outcome.HALT, reason);
            return;
        }
        if (pushed != null && pushed.ccExit()) {
            ClientKey ks = controlKey();
            if (ks != null) {
                sendControlMessage(ks, "EXIT");
            }
        } else if (pushed != null) {
            ctx.sendData(session, OccMessage.encode(OccMessage.Opcode.EXIT));
        }
        end(Outcome.HALT, reason);
    }

    /** The transport is gone (TCP connection closed or reset, socket error): reconnect after the backoff. */
    public void lost(String reason) {
        end(Outcome.RECONNECT, reason);
    }

    private void end(Outcome outcome, String reason) {
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
        session.set(DataKeys.KEY, null); // no key material outlives the connection
        ctx.down(this, outcome, reason);
    }

    // =====================================================================================================
    // Receiving
    // =====================================================================================================

    /** A control datagram from the server's address: unwrap, parse, handle. */
    public DropReason onDatagram(ByteBuffer wire) {
        if (ended) {
            return DropReason.UNKNOWN_SESSION;
        }
        DropReason bad = datagrams.read(wire, wrapper, nowSeconds());
        return bad != null ? bad : receive(datagrams.received());
    }

    /** One parsed, unwrapped control packet. */
    DropReason receive(ControlPacket packet) {
        if (ended) {
            return DropReason.UNKNOWN_SESSION;
        }
        if (!SessionId.isDefined(peerSessionId)) {
            if (packet.opcode() != Opcode.HARD_RESET_SERVER_V2 || packet.keyId() != 0) {
                return DropReason.UNKNOWN_SESSION;
            }
            peerSessionId = packet.sessionId(); // a 2.6 server's HMAC cookie: we only echo it (§2.5)
        } else if (packet.sessionId() != peerSessionId) {
            return DropReason.UNKNOWN_SESSION;
        }
        ClientKey ks = keyFor(packet.keyId());
        if (ks == null && packet.opcode() == Opcode.SOFT_RESET_V1 && current.phase == ClientKey.Phase.ACTIVE
                && pushed != null && packet.keyId() == HeaderByte.nextKeyId(current.keyId)) {
            ks = renegotiate("server");
        }
        if (ks == null) {
            return DropReason.KEY_ID_MISMATCH;
        }
        DropReason bad = ks.channel.receive(packet);
        if (bad != null) {
            return bad;
        }
        keepalive.received(now()); // valid control packets count for ping-restart too (§6.5)
        pump(ks);
        return null;
    }

    private ClientKey keyFor(int keyId) {
        if (current != null && current.keyId == keyId) {
            return current;
        }
        return previous != null && previous.keyId == keyId ? previous : null;
    }

    /** Feeds TLS in message-id order, starts TLS and key method 2 when due, advances the phase, transmits. */
    private void pump(ClientKey ks) {
        ReceivedMessage m;
        while (!ended && ks.phase != ClientKey.Phase.FAILED && (m = ks.channel.poll()) != null) {
            if (m.opcode() == Opcode.CONTROL_V1 && m.payload().length > 0 && ks.tls != null) {
                ks.tls.receive(ByteBuffer.wrap(m.payload()));
            }
        }
        if (ended || ks.phase == ClientKey.Phase.FAILED) {
            return;
        }
        advance(ks);
        if (ended || ks.phase == ClientKey.Phase.FAILED) {
            return;
        }
        ks.outbound.drainInto(ks.channel, maxChunk);
        if (ks.readyToActivate()) {
            activate(ks);
        }
        transmit(ks);
    }

    private void advance(ClientKey ks) {
        if (ks.phase == ClientKey.Phase.RESET && SessionId.isDefined(peerSessionId) && ks.channel.allAcknowledged()) {
            startTls(ks); // S_PRE_START → S_START: our reset was ACKed (§2.3)
        }
        if (ks.phase == ClientKey.Phase.TLS && ks.tls.isHandshakeComplete()) {
            sendKeyMethod(ks);
        }
    }

    private void startTls(ClientKey ks) {
        ks.phase = ClientKey.Phase.TLS;
        try {
            ks.tls = tlsFactory.create(settings.tlsSpec(), ks);
            ks.tls.begin();
        } catch (RuntimeException e) {
            fail(ks, "the TLS provider '" + settings.tlsProvider() + "' refused to start: " + e.getMessage());
        }
    }

    private void sendKeyMethod(ClientKey ks) {
        String refusal = ServerCertificateCheck.check(ks.tls.peerCertificates(), settings.requireServerCert(),
                settings.verifyName());
        if (refusal != null) {
            fail(ks, refusal);
            return;
        }
        if (session.name().isEmpty() && !ks.tls.peerCertificates().isEmpty()) {
            session.name(CommonName.of(ks.tls.peerCertificates().get(0))); // 'status' shows the server
        }
        ks.ownSource = KeySource.random(ctx.random(), true);
        boolean exporter = tlsFactory.supportsExporter();
        String peerInfo = agreement != null ? agreement.peerInfo(exporter) : ClientPeerInfo.build(settings.ciphers(), exporter);
        String options = agreement != null ? agreement.optionsString() : settings.optionsString();
        ClientCredentials.Secret secret = ctx.credentials().next();
        byte[] record = null;
        try {
            record = KeyMethod2Message.encodeClient(ks.ownSource, options, secret.username(), secret.password(), peerInfo);
            ks.tls.send(ByteBuffer.wrap(record)); // encrypted on return: nothing keeps the plaintext
        } finally {
            Arrays.fill(secret.password(), (byte) 0);
            if (record != null) {
                Arrays.fill(record, (byte) 0);
            }
        }
        ks.phase = ClientKey.Phase.KEY_SENT;
    }

    private void transmit(ClientKey ks) {
        if (!ended && !datagrams.sendDue(ks.channel, wrapper, nowSeconds(), ctx::transmit)) {
            end(Outcome.RECONNECT, "control-channel replay ids exhausted");
        }
    }

    // =====================================================================================================
    // TLS records: the server's key method 2, then control messages
    // =====================================================================================================

    void plaintext(ClientKey ks, ByteBuffer record) {
        if (ended || ks.phase == ClientKey.Phase.FAILED) {
            return;
        }
        if (ks.serverSource == null) {
            serverKeyMethod(ks, record);
            return;
        }
        for (String message : ControlMessageCodec.split(record)) {
            controlMessage(message);
            if (ended) {
                return;
            }
        }
    }

    private void serverKeyMethod(ClientKey ks, ByteBuffer record) {
        var parsed = KeyMethod2Message.parse(record, false);
        if (!parsed.isOk()) {
            fail(ks, "bad key-method-2 record from the server (" + parsed.reason().counterName() + ")");
            return;
        }
        ks.serverSource = parsed.value().keySource();
        ks.serverOptions = parsed.value().options();
        ks.serverPeerInfo = parsed.value().peerInfo();
        if (ks.keyId != 0 && pushed != null) {
            // a renegotiation keeps cipher and derivation; the server already receives with the new key
            installKeys(ks);
        }
    }

    private void controlMessage(String message) {
        switch (ControlMessageKind.of(message)) {
            case PUSH_REPLY -> pushReply(message);
            case PUSH_UPDATE -> pushUpdate(message);
            case AUTH_FAILED -> authFailed(message);
            case RESTART -> end(nextServerFlag(message) ? Outcome.RECONNECT : Outcome.RECONNECT_SAME,
                    "the server asked us to reconnect (" + message + ")");
            case HALT -> end(Outcome.HALT, "the server told us to stop (" + message + ")");
            case EXIT -> end(Outcome.RECONNECT, "the server is going down (EXIT)");
            default -> LOG.debug("{}: control message ignored: {}", this,
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
     * Stock {@code receive_auth_failed()}: a refused auth-token (expired, or the server restarted) is dropped and
     * we log in again with the password; anything else stops us ({@code auth-retry none}, stock's default).
     */
    private void authFailed(String message) {
        if (ctx.credentials().dropToken()) {
            end(Outcome.RECONNECT_SAME, "the server refused our auth-token (" + message + "); logging in again with "
                    + "the password");
        } else {
            end(Outcome.HALT, "the server refused us: " + message);
        }
    }

    // =====================================================================================================
    // PUSH_REPLY and data keys
    // =====================================================================================================

    private void pushReply(String message) {
        var parsed = PushReplyParser.parse(message);
        if (!parsed.isOk()) {
            LOG.warn("{}: malformed PUSH_REPLY dropped ({})", this, parsed.reason().counterName());
            return;
        }
        PushReply part = parsed.value();
        List<PushOption> options = pushParts.add(part);
        if (options == null) {
            return; // push-continuation 2: more parts follow
        }
        options = takeAuthToken(options);
        if (pushed != null) {
            LOG.debug("{}: another PUSH_REPLY after the tunnel is up; ignored", this);
            return;
        }
        applyPush(options);
    }

    /** 2.7's PUSH_UPDATE: new routes or DNS options while connected, applied without reconnecting. */
    private void pushUpdate(String message) {
        var parsed = PushReplyParser.parse(PushReplyParser.UPDATE_COMMAND, message);
        if (!parsed.isOk() || pushed == null) {
            LOG.warn("{}: PUSH_UPDATE dropped ({})", this, pushed == null ? "before PUSH_REPLY" : "malformed");
            return;
        }
        List<PushOption> update = updateParts.add(parsed.value());
        if (update == null) {
            return; // push-continuation 2: more parts follow
        }
        TunnelConfig config = session.get(TunnelConfig.KEY);
        List<PushOption> held = (config == null ? List.<String>of() : config.options()).stream().map(PushOption::parse)
                .filter(Objects::nonNull).toList();
        List<PushOption> now = PushUpdate.apply(held, update);
        if (now == null) {
            end(Outcome.RECONNECT_SAME, "the server sent a PUSH_UPDATE this client cannot apply while connected (" + update
                    + "); reconnecting for it");
            return;
        }
        if (!applyOptions(now, "PUSH_UPDATE")) {
            return;
        }
        LOG.info("{}: PUSH_UPDATE applied: {}", this, update);
        ctx.updated(this, session.get(TunnelConfig.KEY));
    }

    /**
     * Keeps a pushed {@code auth-token} / {@code auth-token-user} (also the renewed token a server pushes alone
     * after each renegotiation) and returns the other options: the token is a secret, so it goes no further
     * (not into the tunnel configuration that status shows).
     */
    private List<PushOption> takeAuthToken(List<PushOption> options) {
        for (PushOption o : options) {
            if (o.name().equals("auth-token") && o.arguments().size() == 1) {
                boolean renewed = ctx.credentials().hasToken();
                ctx.credentials().token(o.argument(0));
                LOG.debug("{}: auth-token {}; it replaces the password from now on", this,
                        renewed ? "renewed" : "received");
            } else if (o.name().equals("auth-token-user") && o.arguments().size() == 1) {
                ctx.credentials().tokenUser(o.argument(0));
            }
        }
        return options.stream().filter(o -> !o.name().startsWith("auth-token")).toList();
    }

    private void applyPush(List<PushOption> options) {
        ClientKey ks = controlKey();
        PushedProtocol protocol = PushedProtocol.of(options);
        String refusal = checkPush(ks, protocol);
        if (refusal != null) {
            end(Outcome.RECONNECT, refusal);
            return;
        }
        if (applyOptions(options, "pushed configuration")) {
            up(ks, protocol);
        }
    }

    /** The options in force go to the push handshake (TunnelConfig in the session); false if the connection ended. */
    private boolean applyOptions(List<PushOption> options, String what) {
        ConfigHandshake handshake = ctx.handshake();
        if (handshake == null) {
            end(Outcome.RECONNECT, "no configuration handshake service (tunnelbus.handshake.mode=push) is running");
            return false;
        }
        try {
            handshake.apply(session, options.stream().map(PushOption::line).toList());
            return true;
        } catch (HandshakeRefusedException e) {
            end(Outcome.RECONNECT, "refused the " + what + ": " + e.getMessage());
            return false;
        }
    }

    /** Agreement model: no push; the server's key method 2 settles what a PUSH_REPLY would have. */
    private void agree(ClientKey ks) {
        ConfigHandshake handshake = ctx.handshake();
        PushedProtocol protocol;
        try {
            protocol = agreement.settle(session, handshake, ks.serverOptions, ks.serverPeerInfo,
                    tlsFactory.supportsExporter());
        } catch (HandshakeRefusedException e) {
            end(Outcome.RECONNECT, "refused the server's options (handshake.mode=agreement): " + e.getMessage());
            return;
        }
        up(ks, protocol);
    }

    /** The tunnel's settings are known (pushed or agreed): data keys, then up. */
    private void up(ClientKey ks, PushedProtocol protocol) {
        pushed = protocol;
        nextPushRequestMillis = Long.MAX_VALUE;
        installKeys(ks);
        if (ended) {
            return;
        }
        session.state(SessionState.ACTIVE);
        keepalive.reset(now());
        TunnelConfig config = session.get(TunnelConfig.KEY);
        LOG.info("Connected to {}: address {}, cipher {}, keys by {}, TLS {}, peer-id {}", session.remote(),
                config == null || config.address() == null ? "-" : config.address(), protocol.cipher(),
                protocol.ekm() ? "tls-ekm" : "OpenVPN PRF", ks.tls.describe(),
                protocol.peerId() == DataKeyState.NO_PEER_ID ? "none (P_DATA_V1)" : protocol.peerId());
        ctx.up(this, config);
    }

    /** @return null if we can run what was pushed, else why not (stock: "negotiated cipher not allowed") */
    private String checkPush(ClientKey ks, PushedProtocol protocol) {
        if (ks == null || ks.serverSource == null) {
            return "PUSH_REPLY before the key exchange finished";
        }
        if (protocol.cipher() == null) {
            return "the server pushed no data cipher (a pre-2.4 server; not supported)";
        }
        if (!settings.ciphers().contains(protocol.cipher())) {
            return "the server pushed cipher " + protocol.cipher() + ", which is not in data.ciphers "
                    + String.join(":", settings.ciphers());
        }
        if (protocol.ekm() && !tlsFactory.supportsExporter()) {
            return "the server pushed tls-ekm but TLS provider '" + settings.tlsProvider() + "' has no exporter";
        }
        return null;
    }

    /** Derives the data key of {@code ks} (tls-ekm or PRF, as pushed) and sends with it from now on (§3.3, §6.4). */
    private void installKeys(ClientKey ks) {
        Key2 block;
        try {
            block = pushed.ekm() ? EkmKeyExpansion.derive(ks.tls::exportKeyingMaterial)
                    : PrfKeyExpansion.derive(ks.ownSource, ks.serverSource, ownSessionId, peerSessionId);
        } catch (RuntimeException e) {
            fail(ks, "data key derivation failed: " + e.getMessage());
            return;
        }
        byte[] bytes = block.toByteArray();
        block.destroy();
        DataKeyState key = new DataKeyState(ks.keyId, pushed.cipher(), bytes, false, pushed.peerId(), Instant.now());
        Arrays.fill(bytes, (byte) 0);
        session.set(DataKeys.KEY, keys().with(key).promote(ks.keyId));
        session.set(TlsInfo.KEY, new TlsInfo(settings.tlsProvider(), ks.tls.describe(), ks.keyId));
        ks.destroySources();
    }

    /** Our key-method record was ACKed and the server's read: the key state is up. */
    private void activate(ClientKey ks) {
        ks.phase = ClientKey.Phase.ACTIVE;
        ks.activatedMillis = now();
        ks.trafficAtActivation = traffic();
        if (settings.renegSeconds() > 0) {
            ks.renegotiateAtMillis = ks.activatedMillis + settings.renegSeconds() * 1000L;
        }
        if (pushed == null) {
            if (agreement != null) {
                agree(ks);
            } else {
                sendPushRequest(ks);
            }
            return;
        }
        if (session.state() == SessionState.RENEGOTIATING) {
            session.state(SessionState.ACTIVE);
        }
        LOG.info("{}: renegotiated, key id {} is sending, key id {} kept for receiving", this, ks.keyId,
                previous == null ? "-" : previous.keyId);
    }

    private void sendPushRequest(ClientKey ks) {
        sendControlMessage(ks, "PUSH_REQUEST");
        nextPushRequestMillis = now() + PUSH_REQUEST_INTERVAL_MILLIS;
    }

    /** The key state whose TLS session carries control messages now. */
    private ClientKey controlKey() {
        if (current != null && (current.phase == ClientKey.Phase.KEY_SENT || current.phase == ClientKey.Phase.ACTIVE)) {
            return current;
        }
        return previous != null && previous.phase == ClientKey.Phase.ACTIVE ? previous : null;
    }

    private void sendControlMessage(ClientKey ks, String message) {
        ks.tls.send(ByteBuffer.wrap(ControlMessageCodec.encode(message)));
        ks.outbound.drainInto(ks.channel, maxChunk);
        transmit(ks);
    }

    /** A key state failed: before the tunnel was up the connection is over; a renegotiation falls back. */
    void fail(ClientKey ks, String reason) {
        if (ended || ks.phase == ClientKey.Phase.FAILED) {
            return;
        }
        ks.phase = ClientKey.Phase.FAILED;
        if (ks == current && pushed == null) {
            end(Outcome.RECONNECT, reason);
        } else if (ks == current) {
            LOG.warn("{}: renegotiation of key id {} failed: {}; key id {} stays in use", this, ks.keyId, reason,
                    previous == null ? "-" : previous.keyId);
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
    // Renegotiation
    // =====================================================================================================

    /** Starts key id {@code current + 1} with our SOFT_RESET; its TLS client starts once that is ACKed. */
    private ClientKey renegotiate(String initiator) {
        ClientKey ks = newKey(HeaderByte.nextKeyId(current.keyId), Opcode.SOFT_RESET_V1);
        if (previous != null) {
            previous.close();
        }
        previous = current;
        current = ks;
        session.state(SessionState.RENEGOTIATING);
        LOG.debug("{}: renegotiating key id {}, started by the {}", this, ks.keyId, initiator);
        return ks;
    }

    // =====================================================================================================
    // Timers
    // =====================================================================================================

    /** Retransmissions, pending ACKs, PUSH_REQUEST repeats, keepalive (called often, e.g. every 100 ms). */
    public void tick() {
        if (ended) {
            return;
        }
        for (ClientKey ks : new ClientKey[] {previous, current}) {
            if (ks != null && ks.phase != ClientKey.Phase.FAILED && !ended) {
                pump(ks);
            }
        }
        long now = now();
        if (!ended && pushed == null && now >= nextPushRequestMillis) {
            ClientKey ks = controlKey();
            if (ks != null) {
                sendPushRequest(ks);
            }
        }
        if (!ended && pushed != null) {
            keepalive(now);
        }
    }

    private void keepalive(long now) {
        TunnelConfig config = session.get(TunnelConfig.KEY);
        if (config == null) {
            return;
        }
        if (keepalive.pingDue(now, config.ping())) {
            ctx.sendData(session, KeepalivePing.payload());
        }
        if (keepalive.restartDue(now, config.pingRestart())) {
            end(Outcome.RECONNECT, "ping-restart: nothing received for " + config.pingRestart() + " s");
        }
    }

    /** Deadlines and renegotiation (called about once a second). */
    public void housekeeping() {
        if (ended) {
            return;
        }
        long now = now();
        if (pushed == null) {
            if (now - startedMillis > settings.handWindowMillis()) {
                end(Outcome.RECONNECT, "no connection within hand-window (" + settings.handWindowMillis() / 1000
                        + " s): the server did not answer, or refused us silently (tls-crypt/tls-auth key?)");
            }
            return;
        }
        if (current.phase != ClientKey.Phase.ACTIVE && now > current.deadlineMillis) {
            fail(current, "TLS key negotiation did not complete within hand-window");
            return;
        }
        if (previous != null && current.phase == ClientKey.Phase.ACTIVE
                && now - current.activatedMillis > LAME_DUCK_CONTROL_MILLIS) {
            previous.close();
            previous = null;
        }
        DataKeyState sending = keys().send();
        boolean wrap = sending != null && sending.sendIds().closeToWrapping();
        String due = current.phase != ClientKey.Phase.ACTIVE ? null : RenegotiationTrigger.due("client", now,
                current.renegotiateAtMillis, traffic() - current.trafficAtActivation, settings.renegBytes(), wrap);
        if (due != null) {
            current.renegotiateAtMillis = Long.MAX_VALUE;
            current.trafficAtActivation = traffic(); // a renegotiation that cannot start is tried again later, not at once
            transmit(renegotiate(due));
        }
    }

    private long traffic() {
        return session.bytesIn() + session.bytesOut();
    }

    /** Starts a renegotiation now (management, tests). */
    public void renegotiateNow() {
        if (!ended && pushed != null && current.phase == ClientKey.Phase.ACTIVE) {
            transmit(renegotiate("client (asked)"));
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

    @Override
    public String toString() {
        return "OpenVPN client " + SessionId.toHex(ownSessionId) + " to " + session.remote();
    }
}
