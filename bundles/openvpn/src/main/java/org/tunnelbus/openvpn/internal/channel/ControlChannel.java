package org.tunnelbus.openvpn.internal.channel;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.api.crypto.DataKeys;
import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionState;
import org.tunnelbus.api.tls.TlsRole;
import org.tunnelbus.openvpn.internal.control.ControlMessageCodec;
import org.tunnelbus.openvpn.internal.reliable.ReliableChannel;
import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.DropReason;
import org.tunnelbus.openvpn.internal.wire.HeaderByte;
import org.tunnelbus.openvpn.internal.wire.Opcode;
import org.tunnelbus.openvpn.internal.wire.SessionId;

/**
 * One OpenVPN control channel, server or client side alike (stock's {@code struct tls_multi}; OpenVPN 3's
 * {@code ProtoContext}): the reliability layer and TLS session of each key id ({@link KeyState}), key method 2,
 * data keys into the {@link Session}, renegotiation with a lame duck, keepalive and the timers (wire reference
 * §2–§6). What differs between the sides is the {@link ChannelRole}.
 *
 * <pre>
 *   key id 0:  hard resets (a 2.6 server answers statelessly, §2.5) ─▶ TLS ─▶ key method 2 both ways
 *              ─▶ role: authenticate (server) / check the server (client) ─▶ ACTIVE: the channel is KEYED
 *              ─▶ role: PUSH_REQUEST ─▶ PUSH_REPLY (or agreed at once) ─▶ {@link #up()}: the channel is UP
 *   key id n:  SOFT_RESET (either side: reneg-sec, reneg-bytes, packet ids near wrapping) ─▶ new TLS ─▶ key
 *              method 2 ─▶ new data key; the previous key stays for receiving (lame duck, 60 s)
 *   every 100 ms {@link #tick()}: retransmissions, role timers, keepalive;
 *   every second {@link #housekeeping()}: role upkeep, hand-window, lame duck, renegotiation, grace periods
 * </pre>
 *
 * <p>Keys, packet-id counters and replay windows of the data channel live in the {@link Session} ({@link DataKeys});
 * this object keeps only what the control channel needs. Every method runs on the endpoint's control thread. Bad
 * input is refused with a {@link DropReason}, never thrown.
 */
public final class ControlChannel {
    private static final Logger LOG = LoggerFactory.getLogger(ControlChannel.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ChannelContext ctx;
    private final ChannelSettings settings;
    private final Session session;
    private final ChannelRole role;
    private final long ownSessionId;
    private final ControlDatagrams datagrams;
    private final Keepalive keepalive;
    private final KeySlots keys = new KeySlots();
    private long peerSessionId = SessionId.UNDEFINED;
    private InetSocketAddress remote;
    private ChannelState state = ChannelState.NEGOTIATING;
    private long closeAtMillis = Long.MAX_VALUE;
    private String closeReason;

    /** @param role makes this channel's role (it may keep the channel to act on it) */
    public ControlChannel(ChannelContext ctx, ChannelSettings settings, Session session, InetSocketAddress remote,
            long ownSessionId, PacketIdCounter replayIds, Function<ControlChannel, ChannelRole> role) {
        this.ctx = ctx;
        this.settings = settings;
        this.session = session;
        this.remote = remote;
        this.ownSessionId = ownSessionId;
        this.datagrams = new ControlDatagrams(replayIds);
        this.keepalive = new Keepalive(session, now());
        this.role = role.apply(this);
    }

    // ---- Opening and ending ----

    /** A TLS server after the stateless reset (§2.5): key id 0 as if our reset had been ACKed. @return null or why not */
    public String resumeAfterStatelessReset(long clientSessionId, TlsChoice tls) {
        peerSessionId = clientSessionId;
        KeyState ks = newKey(0, tls);
        String refusal = ks.startTls(settings.tlsSpec());
        if (refusal == null) {
            ks.channel.resumeAfterStatelessReset(clientSessionId);
            keys.first(ks);
        }
        return refusal;
    }

    /** A TLS client: sends our hard reset of key id 0; TLS starts once the peer has ACKed it. */
    public void open(Opcode hardReset, TlsChoice tls) {
        KeyState ks = newKey(0, tls);
        keys.first(ks);
        ks.channel.queue(hardReset, EMPTY); // resets carry no payload: 2.6 would parse one as TLVs (§2.6)
        transmit(ks);
    }

    /** @return the key state, or null without a TLS provider */
    private KeyState newKey(int keyId, TlsChoice tls) {
        if (tls == null) {
            return null;
        }
        ReliableChannel channel = new ReliableChannel(keyId, ownSessionId, ctx.clock(), settings.tlsTimeoutMillis());
        if (SessionId.isDefined(peerSessionId)) {
            channel.peerSessionId(peerSessionId);
        }
        return new KeyState(this, keyId, channel, tls, now() + settings.handWindowMillis());
    }

    /** The tunnel is up (pushed, or agreed): keepalive starts, the session is ACTIVE. */
    public void up() {
        if (state == ChannelState.NEGOTIATING || state == ChannelState.KEYED) {
            state = ChannelState.UP;
            session.state(SessionState.ACTIVE);
            keepalive.reset(now());
        }
    }

    /** Ends the channel after {@code graceMillis} (time for AUTH_FAILED or RESTART to arrive); nothing new starts. */
    public void closeAfter(long graceMillis, String reason) {
        if (!hasEnded()) {
            state = ChannelState.CLOSING;
            session.state(SessionState.CLOSING);
            closeAtMillis = Math.min(closeAtMillis, now() + graceMillis);
            closeReason = reason;
        }
    }

    /** Ends the channel now: TLS sessions closed, key material wiped, the role told. */
    public void end(Outcome outcome, String reason) {
        if (!hasEnded()) {
            state = ChannelState.ENDED;
            keys.closeAll();
            session.set(DataKeys.KEY, null); // no key material outlives the channel
            role.ended(outcome, reason);
        }
    }

    // ---- Receiving ----

    /** A control datagram from our peer: unwrap, parse, handle. */
    public DropReason onDatagram(ByteBuffer wire) {
        if (hasEnded()) {
            return DropReason.UNKNOWN_SESSION;
        }
        DropReason bad = datagrams.read(wire, settings.wrapper(), nowSeconds());
        return bad != null ? bad : receive(datagrams.received());
    }

    /** One parsed, unwrapped control packet of this channel. */
    public DropReason receive(ControlPacket packet) {
        if (hasEnded()) {
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
        KeyState ks = keys.forKeyId(packet.keyId());
        KeyState current = keys.current();
        if (ks == null && packet.opcode() == Opcode.SOFT_RESET_V1 && state == ChannelState.UP
                && current.phase == KeyState.Phase.ACTIVE && packet.keyId() == HeaderByte.nextKeyId(current.keyId)) {
            ks = renegotiate(peerSide());
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

    /** Feeds TLS, starts it when due, tells the role it is up, activates the key when due, sends what is due. */
    private void pump(KeyState ks) {
        ks.feedTls();
        if (ks.usable() && ks.resetAcknowledged() && SessionId.isDefined(peerSessionId)) {
            String refusal = ks.startTls(settings.tlsSpec());
            if (refusal != null) {
                fail(ks, refusal);
            }
        }
        if (ks.usable() && ks.tlsJustEstablished()) {
            role.tlsEstablished(ks);
        }
        if (!ks.usable() || hasEnded()) {
            return;
        }
        ks.drainOutbound(settings.maxTlsChunk());
        if (ks.readyToActivate()) {
            activate(ks);
        }
        transmit(ks);
    }

    /** A TLS record: the peer's key method 2 first, control messages after. */
    void plaintext(KeyState ks, ByteBuffer record) {
        if (hasEnded() || !ks.usable()) {
            return;
        }
        try {
            if (!ks.hasPeerKeyMethod()) {
                role.keyMethod(ks, record);
                return;
            }
            for (String message : ControlMessageCodec.split(record)) {
                role.controlMessage(ks, message);
                if (hasEnded()) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Control channel of {} failed on a record of key id {}", role.who(), ks.keyId, e);
            fail(ks, "internal error: " + e);
        }
    }

    // ---- Sending ----

    private void transmit(KeyState ks) {
        if (!hasEnded() && !datagrams.sendDue(ks.channel, settings.wrapper(), nowSeconds(), w -> ctx.transmit(remote, w))) {
            end(Outcome.RECONNECT, "control-channel replay ids exhausted");
        }
    }

    /** Sends one control message on the key state that carries them now; false if none does. */
    public boolean sendControlMessage(String message) {
        KeyState ks = keys.carrier();
        if (ks == null || hasEnded()) {
            return false;
        }
        ks.tls.send(ByteBuffer.wrap(ControlMessageCodec.encode(message)));
        ks.drainOutbound(settings.maxTlsChunk());
        transmit(ks);
        return true;
    }

    /** Activates and transmits what {@code ks} has due (a verdict arrived off the control thread). */
    public void resume(KeyState ks) {
        if (!hasEnded() && ks.usable()) {
            pump(ks);
        }
    }

    // ---- Keys ----

    /** Our key method 2 was ACKed and the peer's read: the key takes over (the role installs and promotes it). */
    private void activate(KeyState ks) {
        ks.activate(now(), traffic(), settings.renegSeconds() > 0
                ? role.renegotiationDelayMillis(settings.renegSeconds() * 1000L) : 0);
        boolean first = ks.keyId == 0; // renegotiated key ids run 1..7, then 1 again (§1.3)
        if (state == ChannelState.NEGOTIATING) {
            state = ChannelState.KEYED; // a push may have brought it UP already
        } else if (!first && session.state() == SessionState.RENEGOTIATING) {
            session.state(SessionState.ACTIVE);
        }
        role.activated(ks, first);
    }

    /**
     * A key state failed: before the tunnel is up the attempt is over (the role ends it); a renegotiation falls back
     * to the previous key; a lame duck is dropped.
     */
    public void fail(KeyState ks, String reason) {
        if (hasEnded() || ks.phase == KeyState.Phase.FAILED) {
            return;
        }
        ks.phase = KeyState.Phase.FAILED;
        if (ks == keys.current() && (state != ChannelState.UP || keys.previous() == null)) {
            role.failedToConnect(reason); // nothing to fall back to
        } else if (ks == keys.current()) {
            LOG.warn("Renegotiation of key id {} with {} failed: {}; key id {} stays in use", ks.keyId, role.who(),
                    reason, keys.previousKeyId());
            session.set(DataKeys.KEY, dataKeys().without(ks.keyId));
            keys.fallBack();
            if (session.state() == SessionState.RENEGOTIATING) {
                session.state(SessionState.ACTIVE);
            }
        } else if (ks == keys.previous()) {
            keys.dropPrevious();
        }
    }

    /**
     * Starts key id {@code current + 1}: our SOFT_RESET (message id 0) and a new TLS session from the role's provider
     * of the moment (a TLS server starts at once; it only waits for the ClientHello). The current key becomes the
     * lame duck.
     *
     * @param initiator "client" or "server", for the log
     * @return the new key state, or null if none could start (the role or this logged why)
     */
    private KeyState renegotiate(String initiator) {
        KeyState current = keys.current();
        KeyState ks = newKey(HeaderByte.nextKeyId(current.keyId), role.renegotiationTls(current));
        if (ks == null) {
            return null;
        }
        String refusal = role.tlsRole() == TlsRole.SERVER ? ks.startTls(settings.tlsSpec()) : null;
        if (refusal != null) {
            LOG.warn("Cannot renegotiate with {}: {}", role.who(), refusal);
            return null;
        }
        ks.channel.queue(Opcode.SOFT_RESET_V1, EMPTY);
        keys.rotate(ks);
        session.state(SessionState.RENEGOTIATING);
        LOG.debug("Renegotiating with {}: key id {} started by the {}, TLS provider {}", role.who(), ks.keyId,
                initiator, ks.provider());
        return ks;
    }

    /** Starts a renegotiation now (management, tests). */
    public void renegotiateNow() {
        if (state == ChannelState.UP && keys.current().phase == KeyState.Phase.ACTIVE) {
            KeyState ks = renegotiate(ownSide() + " (asked)");
            if (ks != null) {
                transmit(ks);
            }
        }
    }

    // ---- Timers ----

    /** Retransmissions, pending ACKs, role timers and keepalive (called often, e.g. every 100 ms). */
    public void tick() {
        for (KeyState ks : keys.both()) {
            if (ks != null && ks.usable() && !hasEnded()) {
                pump(ks);
            }
        }
        if (hasEnded()) {
            return;
        }
        long now = now();
        role.tick(now);
        TunnelConfig config = session.get(TunnelConfig.KEY);
        String silent = state != ChannelState.UP || config == null ? null
                : keepalive.check(now, config.ping(), role.pingRestartSeconds(config), () -> ctx.sendPing(session));
        if (silent != null) {
            end(Outcome.RECONNECT, silent);
        }
    }

    /** Grace periods, role upkeep, hand-window, the lame duck, renegotiation (called about once a second). */
    public void housekeeping() {
        long now = now();
        if (state == ChannelState.CLOSING && now >= closeAtMillis) {
            end(Outcome.RECONNECT, closeReason);
        }
        if (!hasEnded()) {
            role.housekeeping(now);
        }
        KeyState current = keys.current();
        if (hasEnded() || current == null) {
            return;
        }
        if (current.overdue(now)) {
            fail(current, "TLS key negotiation did not complete within hand-window (" + settings.handWindowMillis() / 1000
                    + " s)");
            return;
        }
        if (current.lameDuckOver(now)) {
            keys.dropPrevious();
        }
        DataKeyState sending = dataKeys().send();
        boolean wrapping = sending != null && sending.sendIds().closeToWrapping();
        String due = state != ChannelState.UP ? null
                : current.renegotiationDue(ownSide(), now, traffic(), settings.renegBytes(), wrapping);
        KeyState ks = due == null ? null : renegotiate(due);
        if (ks != null) {
            transmit(ks);
        }
    }

    // ---- State ----

    /** Whether the tunnel is up (pushed or agreed). */
    public boolean isUp() {
        return state == ChannelState.UP;
    }

    public boolean hasEnded() {
        return state == ChannelState.ENDED;
    }

    public Session session() {
        return session;
    }

    public ChannelRole role() {
        return role;
    }

    /** Where control packets go: the peer's address (a server follows a floating client, see {@link #moveTo}). */
    public InetSocketAddress remote() {
        return remote;
    }

    /** The peer floated: control packets follow it. */
    public void moveTo(InetSocketAddress newRemote) {
        remote = newRemote;
    }

    public long ownSessionId() {
        return ownSessionId;
    }

    public long peerSessionId() {
        return peerSessionId;
    }

    /** The data keys in the session (never null). */
    public DataKeys dataKeys() {
        DataKeys k = session.get(DataKeys.KEY);
        return k == null ? DataKeys.NONE : k;
    }

    private long traffic() {
        return session.bytesIn() + session.bytesOut();
    }

    public long now() {
        return ctx.clock().millis();
    }

    public long nowSeconds() {
        return ctx.clock().instant().getEpochSecond();
    }

    private String ownSide() {
        return role.tlsRole() == TlsRole.SERVER ? "server" : "client";
    }

    private String peerSide() {
        return role.tlsRole() == TlsRole.SERVER ? "client" : "server";
    }

    @Override
    public String toString() {
        return "ControlChannel[" + role.who() + ", " + SessionId.toHex(ownSessionId) + "/"
                + SessionId.toHex(peerSessionId) + ", " + state + "]";
    }
}
