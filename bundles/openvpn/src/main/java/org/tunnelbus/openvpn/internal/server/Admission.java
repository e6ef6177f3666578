package org.tunnelbus.openvpn.internal.server;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.transport.TransportLink;
import org.tunnelbus.openvpn.internal.channel.ControlChannel;
import org.tunnelbus.openvpn.internal.channel.Outcome;
import org.tunnelbus.openvpn.internal.channel.TlsChoice;
import org.tunnelbus.openvpn.internal.link.TransportLinkSink;
import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.ControlPacketCodec;
import org.tunnelbus.openvpn.internal.wire.DropReason;
import org.tunnelbus.openvpn.internal.wire.Opcode;
import org.tunnelbus.openvpn.internal.wire.SessionId;

/**
 * The listener's door: control packets from peers without a session (wire reference §2.5).
 *
 * <pre>
 *   unwrap (tls-crypt / tls-auth; a failure gets no answer, no state, a rate-limited log line)
 *   HARD_RESET_CLIENT_V2 ─▶ HARD_RESET_SERVER_V2 from the {@link TransportAdmission} (UDP: the stateless HMAC
 *                          cookie; TCP: a session id kept for the connection); max-clients refuses here
 *   follow-up echoing our session id ─▶ SessionRegistry.open ─▶ a {@link ControlChannel} with a {@link ServerRole}
 * </pre>
 *
 * At most one refusal line per second, so a flood cannot fill the log. Used on the control thread only.
 */
final class Admission {
    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    private final ListenerContext ctx;
    private final SessionRegistry registry;
    private final TransportLinkSink link;
    private final ServerChannels channels;
    private final ListenerCounters counters;
    private final LogGate refusalGate = new LogGate(1000);
    private final ControlPacket packet = new ControlPacket();
    private final ByteBuffer plain = ByteBuffer.allocate(4096);
    private final ByteBuffer wire = ByteBuffer.allocate(4096);

    Admission(ListenerContext ctx, SessionRegistry registry, TransportLinkSink link, ServerChannels channels,
            ListenerCounters counters) {
        this.ctx = ctx;
        this.registry = registry;
        this.link = link;
        this.channels = channels;
        this.counters = counters;
    }

    /**
     * One control datagram from a peer with no session at {@code from} (or one that restarts with a new session id).
     *
     * @param known the channel at that address with another session id, or null
     * @return why it was dropped, or null
     */
    DropReason admit(ServerSettings s, TransportAdmission a, InetSocketAddress from, ByteBuffer datagram,
            ControlChannel known) {
        long now = ctx.clock().instant().getEpochSecond();
        plain.clear();
        DropReason bad = s.controlWrapper().unwrap(datagram, plain, null, now);
        if (bad != null) {
            if (bad == DropReason.AUTHENTICATION_FAILED) { // stock: "tls-crypt unwrapping failed from ..."
                refusalLog("Dropped control packet from {}: {} authentication failed (the client has another key); "
                        + "no answer sent, no state kept", from, s.wrapping() == ServerSettings.Wrapping.TLS_CRYPT
                                ? "tls-crypt" : "tls-auth");
            }
            return bad;
        }
        plain.flip();
        bad = ControlPacketCodec.parse(plain, packet);
        if (bad != null) {
            return bad;
        }
        Opcode op = packet.opcode();
        if (op == Opcode.HARD_RESET_CLIENT_V2) {
            return answerReset(s, a, from, now);
        }
        if (op == Opcode.HARD_RESET_CLIENT_V3) {
            counters.count("drop.tls-crypt-v2-unsupported");
            return null;
        }
        bad = a.checkFollowUp(packet, from, now);
        return bad != null ? bad : newSession(s, from, known);
    }

    /** The answer to a client's reset: UDP statelessly with the HMAC cookie (§2.5), TCP per connection. */
    private DropReason answerReset(ServerSettings s, TransportAdmission a, InetSocketAddress from, long now) {
        if (packet.keyId() != 0 || packet.messageId() != 0) {
            return DropReason.RESET_WITH_NONZERO_MESSAGE_ID;
        }
        if (full(s, from)) {
            return null;
        }
        a.fillReset(packet, from, packet.sessionId(), now);
        plain.clear();
        ControlPacketCodec.write(packet, plain);
        plain.flip();
        wire.clear();
        s.controlWrapper().wrap(plain, wire, PacketIdCounter.longForm(), now); // replay id 1, as stock
        wire.flip();
        ctx.transmit(from, wire);
        counters.count("control.reset-answered");
        return null;
    }

    private DropReason newSession(ServerSettings s, InetSocketAddress from, ControlChannel previous) {
        long ownSid = packet.peerSessionId();
        long clientSid = packet.sessionId();
        if (!SessionId.isDefined(ownSid) || !SessionId.isDefined(clientSid)) {
            return DropReason.UNKNOWN_SESSION;
        }
        if (previous != null) {
            previous.end(Outcome.HALT, "client reconnected with a new session");
        }
        if (full(s, from)) {
            return null;
        }
        Session session;
        try {
            session = registry.open(from);
        } catch (IllegalStateException e) {
            refusalLog("Refused client from {}: {}", from, e.getMessage());
            counters.count("drop.no-session");
            return null;
        }
        session.set(TransportLink.KEY, link);
        // the stateless reset went out with replay id 1; the channel continues from there (§2.5)
        ControlChannel c = new ControlChannel(ctx, s.channelSettings(), session, from, ownSid,
                PacketIdCounter.longFormAfter(1), ch -> new ServerRole(ctx, s, ch));
        channels.add(c);
        TlsChoice tls = ctx.tlsChoice();
        String refusal = tls == null ? "no TLS provider '" + s.tlsProvider() + "' is running (tls.provider)"
                : c.resumeAfterStatelessReset(clientSid, tls);
        if (refusal != null) {
            refusalLog("Refused client from {}: {}", from, refusal);
            c.end(Outcome.HALT, "refused: " + refusal);
            return null;
        }
        counters.count("sessions.opened");
        return c.receive(packet);
    }

    private boolean full(ServerSettings s, InetSocketAddress from) {
        if (channels.size() < s.maxClients()) {
            return false;
        }
        refusalLog("Refused client from {}: max-clients ({}) reached", from, s.maxClients());
        counters.count("drop.max-clients");
        return true;
    }

    /** At most one refusal line per second; the next line says how many were not logged. */
    private void refusalLog(String format, Object... args) {
        long skipped = refusalGate.permit();
        if (skipped < 0) {
            return;
        }
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof InetSocketAddress addr) {
                args[i] = ServerSettings.format(addr); // 10.0.0.1:1194, as the session lines write it
            }
        }
        LOG.info(skipped == 0 ? format : format + " (" + skipped + " more refusals not logged since the last line)", args);
    }
}
