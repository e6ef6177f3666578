package org.tunnelbus.openvpn.internal.session;

import java.nio.ByteBuffer;

import org.tunnelbus.api.tls.TlsEngine;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.api.tls.TlsEngineListener;
import org.tunnelbus.openvpn.internal.control.KeyMethod2Message;
import org.tunnelbus.openvpn.internal.keys.KeySource;
import org.tunnelbus.openvpn.internal.reliable.CiphertextQueue;
import org.tunnelbus.openvpn.internal.reliable.ReliableChannel;

/**
 * One key id of a control session (stock's {@code struct key_state}): its reliability layer, its own TLS
 * session, the key-method-2 exchange and where it stands (wire reference §2.2, §2.3, §3, §6.4).
 *
 * <pre>
 *  HANDSHAKE ──TLS done, client's KM2 read, ours sent──▶ KEY_SENT ──our KM2 ACKed──▶ ACTIVE
 *      │                                                     │
 *      └──────────── TLS error, bad KM2, hand-window ────────┴──▶ FAILED
 * </pre>
 *
 * Ciphertext the TLS engine produces is buffered here and cut into control packets as the send window
 * allows. Used on the listener's control thread only.
 */
final class KeyState implements TlsEngineListener {
    enum Phase {
        HANDSHAKE, KEY_SENT, ACTIVE, FAILED
    }

    final int keyId;
    final ReliableChannel channel;
    final long startedMillis;
    final long deadlineMillis;
    private final ControlSession owner;

    TlsEngine tls;
    TlsEngineFactory factory;
    String provider = "";
    Phase phase = Phase.HANDSHAKE;
    boolean tlsComplete;
    KeyMethod2Message peerKeyMethod;
    KeySource ownSource;
    boolean keysInstalled;
    /** The peer's key method 2 is being authenticated (off the control thread): not active before the verdict. */
    boolean authPending;
    long activatedMillis;
    /** When the server renegotiates after this key became active (reneg-sec less jitter), or MAX_VALUE. */
    long renegotiateAtMillis = Long.MAX_VALUE;
    /** The session's traffic (bytes in + out) when this key took over, for reneg-bytes. */
    long trafficAtActivation;

    private final CiphertextQueue outbound = new CiphertextQueue();

    KeyState(ControlSession owner, int keyId, ReliableChannel channel, long nowMillis, long handWindowMillis) {
        this.owner = owner;
        this.keyId = keyId;
        this.channel = channel;
        this.startedMillis = nowMillis;
        this.deadlineMillis = nowMillis + handWindowMillis;
    }

    boolean hasOutbound() {
        return outbound.hasPending();
    }

    /** Moves buffered TLS ciphertext into control packets while the send window has room. */
    void queueOutbound(int maxChunk) {
        outbound.drainInto(channel, maxChunk);
    }

    /** Drops the TLS session (no close_notify: stock never sends one for a key state). */
    void close() {
        if (tls != null) {
            try {
                tls.close();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        if (ownSource != null) {
            ownSource.destroy();
        }
        outbound.clear();
    }

    // ---- TlsEngineListener (called on the control thread, from inside tls.receive/send/begin) ----

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
        tlsComplete = true;
        owner.tlsComplete(this);
    }

    @Override
    public void failed(String reason) {
        owner.tlsFailed(this, reason);
    }

    @Override
    public String toString() {
        return "KeyState[" + keyId + " " + phase + "]";
    }
}
