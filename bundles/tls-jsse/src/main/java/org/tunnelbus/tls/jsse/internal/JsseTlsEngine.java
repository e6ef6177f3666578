package org.tunnelbus.tls.jsse.internal;

import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.tls.TlsEngine;
import org.tunnelbus.api.tls.TlsEngineListener;
import org.tunnelbus.api.tls.TlsRole;

/**
 * One TLS session on a JDK {@link SSLEngine}, driven by the OpenVPN control channel: ciphertext in
 * ({@link #receive}), ciphertext out ({@link TlsEngineListener#ciphertext}), one application record per
 * {@link #send} and one {@link TlsEngineListener#plaintext} call per received application record (an
 * {@code SSLEngine} unwraps one record per call).
 *
 * <p>All work happens in {@link #pump()} on the caller's thread; delegated tasks (certificate checks,
 * key agreement) run inline. A call made from inside a listener callback (a reply sent from
 * {@code plaintext()}, or ciphertext fed back synchronously) is queued and picked up by the pump that is
 * already running, so callbacks never nest and each buffer handed out stays valid for its call.
 * Application records sent before the handshake completes are queued and go out right after it.
 */
final class JsseTlsEngine implements TlsEngine {
    private static final Logger LOG = LoggerFactory.getLogger(JsseTlsEngine.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final TlsRole role;
    private final PeerTrustManager trust;
    private final TlsEngineListener listener;
    private final ArrayDeque<ByteBuffer> pendingSends = new ArrayDeque<>();

    private ByteBuffer netIn = ByteBuffer.allocate(4096); // fill mode: [0, position) holds received ciphertext
    private ByteBuffer netOut;
    private ByteBuffer appIn;

    private boolean started;
    private boolean handshakeDone;
    private boolean completeNotified;
    private boolean busy;
    private boolean dead;

    JsseTlsEngine(SSLEngine engine, TlsRole role, PeerTrustManager trust, TlsEngineListener listener) {
        this.engine = engine;
        this.role = role;
        this.trust = trust;
        this.listener = listener;
        SSLSession s = engine.getSession();
        this.netOut = ByteBuffer.allocate(s.getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(s.getApplicationBufferSize());
    }

    @Override
    public void begin() {
        if (started || dead) {
            return;
        }
        started = true;
        try {
            engine.beginHandshake();
        } catch (SSLException | RuntimeException e) {
            fail(e);
            return;
        }
        pump();
    }

    @Override
    public void receive(ByteBuffer ciphertext) {
        if (dead) {
            ciphertext.position(ciphertext.limit());
            return;
        }
        int n = ciphertext.remaining();
        if (netIn.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(netIn.capacity() * 2, netIn.position() + n));
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        netIn.put(ciphertext);
        if (!started) {
            begin(); // a server may be fed its ClientHello before begin()
        } else {
            pump();
        }
    }

    @Override
    public void send(ByteBuffer plaintext) {
        if (dead) {
            throw new IllegalStateException("TLS session is closed or failed");
        }
        ByteBuffer copy = ByteBuffer.allocate(plaintext.remaining());
        copy.put(plaintext).flip();
        pendingSends.add(copy);
        pump();
    }

    @Override
    public boolean isHandshakeComplete() {
        return handshakeDone;
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return handshakeDone ? trust.verified() : List.of();
    }

    /** JSSE on Java 17 has no public RFC 5705 exporter: OpenVPN derives the data keys by its PRF instead. */
    @Override
    public byte[] exportKeyingMaterial(String label, int length) {
        throw new UnsupportedOperationException("the JSSE TLS provider has no RFC 5705 exporter on Java 17; "
                + "use the OpenVPN PRF key derivation (or the bouncycastle provider for tls-ekm)");
    }

    @Override
    public String describe() {
        if (!handshakeDone) {
            return dead ? "failed" : "handshaking";
        }
        SSLSession s = engine.getSession();
        return s.getProtocol() + "/" + s.getCipherSuite();
    }

    /** Releases the session without sending anything (OpenVPN drops a key state without a close_notify). */
    @Override
    public void close() {
        if (!dead) {
            dead = true;
            engine.closeOutbound();
        }
        pendingSends.clear();
    }

    private void pump() {
        if (busy) {
            return; // the running pump (further up this thread's stack) picks the new work up
        }
        busy = true;
        try {
            while (!dead && step()) {
                // keep going while anything moves
            }
        } catch (SSLException | RuntimeException e) {
            fail(e);
        } finally {
            busy = false;
        }
    }

    /** One unit of work; false when nothing can move until more input arrives. */
    private boolean step() throws SSLException {
        HandshakeStatus hs = engine.getHandshakeStatus();
        if (hs == HandshakeStatus.NEED_TASK) {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
            return true;
        }
        if (hs == HandshakeStatus.NEED_WRAP) {
            return wrap(EMPTY);
        }
        if (handshakeDone && !completeNotified) {
            completeNotified = true;
            LOG.debug("TLS {} handshake complete: {}", role, describe());
            listener.handshakeComplete();
            return true;
        }
        if (engine.isInboundDone()) {
            fail("peer closed the TLS session (close_notify)");
            return false;
        }
        if (completeNotified && !pendingSends.isEmpty()) {
            ByteBuffer next = pendingSends.peek();
            boolean moved = wrap(next);
            if (!next.hasRemaining()) {
                pendingSends.poll();
            }
            return moved;
        }
        if (netIn.position() > 0) {
            return unwrap();
        }
        return false;
    }

    private boolean wrap(ByteBuffer src) throws SSLException {
        netOut.clear();
        SSLEngineResult r = engine.wrap(src, netOut);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
            return true;
        }
        emit(r);
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            handshakeDone = true;
        }
        if (r.getStatus() == SSLEngineResult.Status.CLOSED && r.bytesProduced() == 0) {
            if (!engine.isInboundDone()) {
                fail("TLS session closed");
            }
            return engine.isInboundDone();
        }
        return r.bytesProduced() > 0 || r.bytesConsumed() > 0 || r.getHandshakeStatus() == HandshakeStatus.FINISHED;
    }

    private void emit(SSLEngineResult r) {
        if (r.bytesProduced() > 0) {
            netOut.flip();
            listener.ciphertext(netOut);
        }
    }

    private boolean unwrap() throws SSLException {
        netIn.flip();
        appIn.clear();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        switch (r.getStatus()) {
            case BUFFER_OVERFLOW:
                appIn = ByteBuffer.allocate(Math.max(appIn.capacity() * 2, engine.getSession().getApplicationBufferSize()));
                return true;
            case BUFFER_UNDERFLOW:
                return false; // an incomplete record: wait for more input
            default:
                break;
        }
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            handshakeDone = true;
        }
        if (r.bytesProduced() > 0) {
            if (!completeNotified) { // cannot happen with JSSE; keep the order handshakeComplete -> plaintext
                completeNotified = true;
                listener.handshakeComplete();
            }
            appIn.flip();
            listener.plaintext(appIn);
        }
        return r.bytesConsumed() > 0 || r.bytesProduced() > 0 || r.getStatus() == SSLEngineResult.Status.CLOSED;
    }

    private void fail(Throwable e) {
        fail(reason(e));
        LOG.debug("TLS {} session failed", role, e);
    }

    private void fail(String reason) {
        if (dead) {
            return;
        }
        dead = true;
        flushAlert();
        pendingSends.clear();
        LOG.debug("TLS {} session failed: {}", role, reason);
        listener.failed(reason);
    }

    /** After a failure, SSLEngine still holds the alert for the peer; hand it out. */
    private void flushAlert() {
        try {
            engine.closeOutbound();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                netOut.clear();
                SSLEngineResult r = engine.wrap(EMPTY, netOut);
                emit(r);
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (SSLException | RuntimeException ignored) {
            // nothing more to send
        }
    }

    private String reason(Throwable e) {
        String refusal = trust.refusal();
        if (refusal != null) {
            return refusal;
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("Empty client certificate chain") || m.contains("Empty server certificate chain")) {
            return "peer sent no certificate, but one is required";
        }
        if (m.startsWith("Received fatal alert: ")) {
            return "peer refused the TLS session: alert " + m.substring("Received fatal alert: ".length());
        }
        if (e instanceof SSLHandshakeException) {
            return "TLS handshake failed: " + m;
        }
        return "TLS error: " + m;
    }
}
