package org.tunnelbus.openvpn.internal.client;

import java.nio.ByteBuffer;

import org.tunnelbus.api.tls.TlsEngine;
import org.tunnelbus.api.tls.TlsEngineListener;
import org.tunnelbus.openvpn.internal.control.PeerInfo;
import org.tunnelbus.openvpn.internal.keys.KeySource;
import org.tunnelbus.openvpn.internal.reliable.CiphertextQueue;
import org.tunnelbus.openvpn.internal.reliable.ReliableChannel;

/**
 * One key id of a client's control channel (stock's {@code struct key_state} on the client): its reliable
 * layer, its TLS client session and the key-method-2 exchange (wire reference §2.3, §3, §6.4).
 *
 * <pre>
 *  RESET ──our reset ACKed──▶ TLS ──handshake done, our KM2 sent──▶ KEY_SENT ──server's KM2 read,
 *                                                                    ours ACKed──▶ ACTIVE
 *    └──────────────── TLS error, bad KM2, bad server certificate, hand-window ──────────▶ FAILED
 * </pre>
 *
 * Used on the connector's control thread only.
 */
final class ClientKey implements TlsEngineListener {
    enum Phase {
        RESET, TLS, KEY_SENT, ACTIVE, FAILED
    }

    final int keyId;
    final ReliableChannel channel;
    final long deadlineMillis;
    final CiphertextQueue outbound = new CiphertextQueue();
    private final ClientControl owner;

    Phase phase = Phase.RESET;
    TlsEngine tls;
    KeySource ownSource;
    KeySource serverSource;
    /** The server's options string and peer-info from its key method 2 (the agreement model settles from them). */
    String serverOptions;
    PeerInfo serverPeerInfo;
    boolean serverCertChecked;
    long activatedMillis;
    long renegotiateAtMillis = Long.MAX_VALUE;
    /** The session's traffic (bytes in + out) when this key took over, for reneg-bytes. */
    long trafficAtActivation;

    ClientKey(ClientControl owner, int keyId, ReliableChannel channel, long deadlineMillis) {
        this.owner = owner;
        this.keyId = keyId;
        this.channel = channel;
        this.deadlineMillis = deadlineMillis;
    }

    /** Our key-method record is out, the server's is in, and the server has everything we sent. */
    boolean readyToActivate() {
        return phase == Phase.KEY_SENT && serverSource != null && channel.allAcknowledged() && !outbound.hasPending();
    }

    /** Drops the TLS session and wipes the key sources. */
    void close() {
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

    void destroySources() {
        if (ownSource != null) {
            ownSource.destroy();
        }
        if (serverSource != null) {
            serverSource.destroy();
        }
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
        // the key-method record goes out from ClientControl.pump, after tls.receive has returned
    }

    @Override
    public void failed(String reason) {
        owner.fail(this, "TLS error: " + reason);
    }

    @Override
    public String toString() {
        return "ClientKey[" + keyId + " " + phase + "]";
    }
}
