package org.tunnelbus.openvpn.internal.channel;

import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;

import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.api.tls.TlsEngine;
import org.tunnelbus.api.tls.TlsEngineListener;
import org.tunnelbus.api.tls.TlsRole;
import org.tunnelbus.api.tls.TlsSpec;
import org.tunnelbus.openvpn.internal.control.PeerInfo;
import org.tunnelbus.openvpn.internal.keys.KeySource;
import org.tunnelbus.openvpn.internal.reliable.CiphertextQueue;
import org.tunnelbus.openvpn.internal.reliable.ReceivedMessage;
import org.tunnelbus.openvpn.internal.reliable.ReliableChannel;
import org.tunnelbus.openvpn.internal.wire.Opcode;

/**
 * One key id of a control channel, either role (stock's {@code struct key_state}): its reliability layer, its own
 * TLS session, the key-method-2 exchange and where it stands (wire reference §2.2, §2.3, §3, §6.4).
 *
 * <pre>
 *  RESET ──our reset ACKed (a TLS server starts at once)──▶ TLS ──our key method 2 sent──▶ KEY_SENT
 *        ──the peer's key method 2 read, ours ACKed, no verdict pending──▶ ACTIVE
 *    └───────────── TLS error, bad key method 2, refused certificate, hand-window ─────────▶ FAILED
 * </pre>
 *
 * A TLS client sends its key method 2 once the handshake is done and reads the server's after; a TLS server reads
 * the client's and answers at once. TLS ciphertext is buffered here and cut into control packets as the send window
 * allows. Used on the channel's control thread only.
 */
public final class KeyState implements TlsEngineListener {
    /** A lame-duck key state keeps its control channel this long (to re-ACK late retransmissions). */
    static final long LAME_DUCK_CONTROL_MILLIS = 60_000;

    /** Where a key state stands. */
    public enum Phase {
        RESET, TLS, KEY_SENT, ACTIVE, FAILED
    }

    final int keyId;
    final ReliableChannel channel;
    final long deadlineMillis;
    private final ControlChannel owner;
    private final TlsChoice tlsChoice;
    private final CiphertextQueue outbound = new CiphertextQueue();

    Phase phase = Phase.RESET;
    TlsEngine tls;
    private boolean tlsEstablished;
    private boolean closed;
    KeySource ownSource;
    KeySource peerSource;
    private String peerOptions;
    private PeerInfo peerInfo;
    /** The peer's key method 2 is being judged (authentication off the control thread): not active before that. */
    private boolean verdictPending;
    private long activatedMillis;
    /** When this side renegotiates after the key took over (reneg-sec), or MAX_VALUE. */
    private long renegotiateAtMillis = Long.MAX_VALUE;
    /** The session's traffic (bytes in + out) when this key took over, for reneg-bytes. */
    private long trafficAtActivation;

    KeyState(ControlChannel owner, int keyId, ReliableChannel channel, TlsChoice tlsChoice, long deadlineMillis) {
        this.owner = owner;
        this.keyId = keyId;
        this.channel = channel;
        this.tlsChoice = tlsChoice;
        this.deadlineMillis = deadlineMillis;
    }

    /** Starts this key's TLS session. @return null, or why the provider refused to start it */
    String startTls(TlsSpec spec) {
        phase = Phase.TLS;
        try {
            tls = tlsChoice.factory().create(spec, this);
            tls.begin();
            return null;
        } catch (RuntimeException e) {
            return "the TLS provider '" + provider() + "' refused to start a session: " + e.getMessage();
        }
    }

    /**
     * This key's data key, as {@link DataKeyDerivation} makes it from both key sources and session ids; the key
     * sources are wiped.
     *
     * @throws RuntimeException when the TLS exporter fails
     */
    public DataKeyState deriveDataKey(boolean ekm, String cipher, int peerId) {
        return DataKeyDerivation.derive(this, ekm, owner.role().tlsRole() == TlsRole.SERVER, channel.ownSessionId(),
                channel.peerSessionId(), cipher, peerId);
    }

    /** Whether this key state may still act (not failed, not closed with its channel). */
    boolean usable() {
        return phase != Phase.FAILED && !closed;
    }

    /** Feeds the received control messages to TLS in message-id order (resets carry no TLS data). */
    void feedTls() {
        ReceivedMessage m;
        while (usable() && (m = channel.poll()) != null) {
            if (m.opcode() == Opcode.CONTROL_V1 && m.payload().length > 0 && tls != null) {
                tls.receive(ByteBuffer.wrap(m.payload()));
            }
        }
    }

    /** A TLS client's key waits for its reset to be ACKed before TLS starts (stock S_PRE_START, §2.3). */
    boolean resetAcknowledged() {
        return phase == Phase.RESET && channel.allAcknowledged();
    }

    /** Whether the TLS handshake has just completed (true once). */
    boolean tlsJustEstablished() {
        if (tls == null || tlsEstablished || !tls.isHandshakeComplete()) {
            return false;
        }
        tlsEstablished = true;
        return true;
    }

    /** The key takes over now; with {@code renegotiateAfterMillis > 0} this side renegotiates after that long. */
    void activate(long nowMillis, long traffic, long renegotiateAfterMillis) {
        phase = Phase.ACTIVE;
        activatedMillis = nowMillis;
        trafficAtActivation = traffic;
        renegotiateAtMillis = renegotiateAfterMillis > 0 ? nowMillis + renegotiateAfterMillis : Long.MAX_VALUE;
    }

    /** Still negotiating after hand-window. */
    boolean overdue(long nowMillis) {
        return phase != Phase.ACTIVE && phase != Phase.FAILED && nowMillis > deadlineMillis;
    }

    /** Whether the key it replaced has been kept long enough. */
    boolean lameDuckOver(long nowMillis) {
        return phase == Phase.ACTIVE && nowMillis - activatedMillis > LAME_DUCK_CONTROL_MILLIS;
    }

    /**
     * Why this side renegotiates now (reneg-sec, reneg-bytes, packet ids near wrapping), or null; a reason is given
     * once: a renegotiation that cannot start is tried again later, not at once.
     */
    String renegotiationDue(String side, long nowMillis, long traffic, long renegBytes, boolean wrapping) {
        String due = phase != Phase.ACTIVE ? null : RenegotiationTrigger.due(side, nowMillis, renegotiateAtMillis,
                traffic - trafficAtActivation, renegBytes, wrapping);
        if (due != null) {
            renegotiateAtMillis = Long.MAX_VALUE;
            trafficAtActivation = traffic;
        }
        return due;
    }

    public int keyId() {
        return keyId;
    }

    public Phase phase() {
        return phase;
    }

    /** The {@code tunnelbus.tls.provider} of this key's TLS session. */
    public String provider() {
        return tlsChoice.provider();
    }

    /** The provider and factory this key's TLS session came from. */
    public TlsChoice tlsChoice() {
        return tlsChoice;
    }

    /** Whether this key's TLS provider can export keying material (tls-ekm). */
    public boolean exporter() {
        return tlsChoice.factory().supportsExporter();
    }

    /** The TLS protocol and suite, e.g. {@code TLSv1.3 TLS_AES_256_GCM_SHA384}. */
    public String describeTls() {
        return tls.describe();
    }

    public List<X509Certificate> peerCertificates() {
        return tls.peerCertificates();
    }

    /** Our key method 2 record, encrypted at once: nothing keeps the plaintext. */
    public void sendKeyMethod(KeySource own, byte[] record) {
        ownSource = own;
        tls.send(ByteBuffer.wrap(record));
        phase = Phase.KEY_SENT;
    }

    /** What the peer's key method 2 said: its key source, options string and peer-info. */
    public void peerKeyMethod(KeySource source, String options, PeerInfo info) {
        peerSource = source;
        peerOptions = options;
        peerInfo = info;
    }

    public boolean hasPeerKeyMethod() {
        return peerSource != null;
    }

    public String peerOptions() {
        return peerOptions;
    }

    public PeerInfo peerInfo() {
        return peerInfo;
    }

    /** Holds activation until {@link #verdict()}: the peer is being authenticated. */
    public void awaitVerdict() {
        verdictPending = true;
    }

    public void verdict() {
        verdictPending = false;
    }

    /** Our key method 2 is out, the peer's is in and judged, and the peer has everything we sent. */
    boolean readyToActivate() {
        return phase == Phase.KEY_SENT && peerSource != null && !verdictPending && channel.allAcknowledged()
                && !outbound.hasPending();
    }

    void drainOutbound(int maxChunk) {
        outbound.drainInto(channel, maxChunk);
    }

    /** Wipes the key sources once the data key is derived (or the key state ends). */
    void destroySources() {
        if (ownSource != null) {
            ownSource.destroy();
        }
        if (peerSource != null) {
            peerSource.destroy();
        }
    }

    /** Drops the TLS session (no close_notify: stock never sends one for a key state) and wipes the key sources. */
    void close() {
        closed = true;
        if (tls != null) {
            try {
                tls.close();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        destroySources();
        outbound.clear();
    }

    // ---- TlsEngineListener (called on the control thread, from inside tls.begin/receive/send) ----

    @Override
    public void ciphertext(ByteBuffer data) {
        outbound.append(data);
    }

    @Override
    public void plaintext(ByteBuffer record) {
        owner.plaintext(this, record);
    }

    @Override
    public void handshakeComplete() {
        // acted on from ControlChannel.pump, after tls.receive has returned
    }

    @Override
    public void failed(String reason) {
        owner.fail(this, "TLS error: " + reason);
    }

    @Override
    public String toString() {
        return "KeyState[" + keyId + " " + phase + "]";
    }
}
