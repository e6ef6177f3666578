package org.tunnelbus.tls.bouncycastle.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Supplier;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsNoCloseNotifyException;
import org.bouncycastle.tls.TlsProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.tls.TlsEngine;
import org.tunnelbus.api.tls.TlsEngineListener;
import org.tunnelbus.api.tls.TlsRole;

/**
 * One TLS session on Bouncy Castle's {@link TlsProtocol} in non-blocking mode ({@code offerInput},
 * {@code readOutput}, {@code readInput}, {@code writeApplicationData}), driven by the OpenVPN control
 * channel.
 *
 * <p>Record boundaries: Bouncy Castle queues received application data as one byte stream, so this engine
 * frames the incoming ciphertext itself (5-byte TLS record header) and offers Bouncy Castle one whole record
 * at a time; whatever application data that record yields is delivered as one {@code plaintext()} call.
 * Each {@link #send} is one {@code writeApplicationData} call, i.e. one record (up to 16 KiB).
 *
 * <p>All work happens in {@link #pump()} on the caller's thread. A call made from inside a listener
 * callback is queued and picked up by the pump already running, so callbacks never nest and each buffer
 * handed out stays valid for its call. Records sent before the handshake completes go out right after it.
 */
final class BcTlsEngine implements TlsEngine {
    private static final Logger LOG = LoggerFactory.getLogger(BcTlsEngine.class);
    private static final int HEADER = 5;
    private static final int MAX_RECORD = HEADER + (1 << 14) + 2048; // TLSCiphertext.length limit (RFC 5246 6.2.3)

    /** Starts the handshake: {@code connect} for a client, {@code accept} for a server. */
    @FunctionalInterface
    interface Start {
        void run() throws IOException;
    }

    private final TlsProtocol protocol;
    private final Start start;
    private final Supplier<TlsContext> context;
    private final Outcome outcome;
    private final TlsRole role;
    private final TlsEngineListener listener;
    private final ArrayDeque<byte[]> pendingSends = new ArrayDeque<>();

    private byte[] in = new byte[4096];
    private int inLength;
    private byte[] out = new byte[4096];
    private byte[] plain = new byte[2048];
    private int plainLength;

    private boolean started;
    private boolean completeNotified;
    private boolean busy;
    private boolean dead;

    BcTlsEngine(TlsProtocol protocol, Start start, Supplier<TlsContext> context, Outcome outcome, TlsRole role,
            TlsEngineListener listener) {
        this.protocol = protocol;
        this.start = start;
        this.context = context;
        this.outcome = outcome;
        this.role = role;
        this.listener = listener;
    }

    @Override
    public void begin() {
        if (started || dead) {
            return;
        }
        started = true;
        try {
            start.run();
        } catch (IOException | RuntimeException e) {
            fail(e);
            return;
        }
        pump();
    }

    @Override
    public void receive(ByteBuffer ciphertext) {
        int n = ciphertext.remaining();
        if (dead) {
            ciphertext.position(ciphertext.limit());
            return;
        }
        if (in.length - inLength < n) {
            byte[] bigger = new byte[Math.max(in.length * 2, inLength + n)];
            System.arraycopy(in, 0, bigger, 0, inLength);
            in = bigger;
        }
        ciphertext.get(in, inLength, n);
        inLength += n;
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
        byte[] copy = new byte[plaintext.remaining()];
        plaintext.get(copy);
        pendingSends.add(copy);
        pump();
    }

    @Override
    public boolean isHandshakeComplete() {
        return outcome.handshakeDone;
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return outcome.handshakeDone ? outcome.verified : List.of();
    }

    /**
     * RFC 5705 with no context ({@code context_value} absent, which for TLS 1.2 differs from an empty one),
     * as OpenVPN's tls-ekm calls it.
     *
     * @throws IllegalStateException before the handshake completes, after {@link #close()}, or for a TLS 1.2
     *         session without extended_master_secret (RFC 7627 5.4 forbids exporting then)
     */
    @Override
    public byte[] exportKeyingMaterial(String label, int length) {
        return exportKeyingMaterial(label, null, length);
    }

    /** The exporter with an optional context value (null: none). */
    byte[] exportKeyingMaterial(String label, byte[] contextValue, int length) {
        RetainedExporter exporter = outcome.exporter;
        if (!outcome.handshakeDone || exporter == null) {
            throw new IllegalStateException("no keying material before the TLS handshake completes");
        }
        return exporter.export(label, contextValue, length);
    }

    @Override
    public String describe() {
        TlsContext c = context.get();
        SecurityParameters sp = c == null ? null : c.getSecurityParametersConnection();
        if (sp == null || !outcome.handshakeDone) {
            return dead ? "failed" : "handshaking";
        }
        ProtocolVersion v = sp.getNegotiatedVersion();
        String version = ProtocolVersion.TLSv13.equals(v) ? "TLSv1.3"
                : ProtocolVersion.TLSv12.equals(v) ? "TLSv1.2" : v.getName();
        return version + "/" + TlsSettings.name(sp.getCipherSuite());
    }

    /** Releases the session without sending anything (OpenVPN drops a key state without a close_notify). */
    @Override
    public void close() {
        if (!dead) {
            dead = true;
            try {
                protocol.close(); // queues a close_notify nobody reads
            } catch (IOException | RuntimeException ignored) {
                // closing anyway
            }
        }
        RetainedExporter exporter = outcome.exporter;
        if (exporter != null) {
            exporter.destroy();
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
        } catch (IOException | RuntimeException e) {
            fail(e);
        } finally {
            busy = false;
        }
    }

    /** One unit of work, in the order the peer must see it; false when waiting for input. */
    private boolean step() throws IOException {
        if (protocol.getAvailableOutputBytes() > 0) {
            emitOutput();
            return true;
        }
        if (outcome.handshakeDone && !completeNotified) {
            completeNotified = true;
            LOG.debug("TLS {} handshake complete: {}", role, describe());
            listener.handshakeComplete();
            return true;
        }
        if (plainLength > 0) {
            ByteBuffer record = ByteBuffer.wrap(plain, 0, plainLength);
            plainLength = 0;
            listener.plaintext(record);
            return true;
        }
        if (protocol.isClosed()) {
            fail("peer closed the TLS session (close_notify)");
            return false;
        }
        if (completeNotified && !pendingSends.isEmpty()) {
            byte[] record = pendingSends.poll();
            protocol.writeApplicationData(record, 0, record.length);
            return true;
        }
        int record = nextRecord();
        if (record > 0) {
            protocol.offerInput(in, 0, record);
            System.arraycopy(in, record, in, 0, inLength - record);
            inLength -= record;
            int available = protocol.getAvailableInputBytes();
            if (available > 0) {
                if (plain.length < available) {
                    plain = new byte[Math.max(available, plain.length * 2)];
                }
                plainLength = protocol.readInput(plain, 0, available);
            }
            return true;
        }
        return false;
    }

    /**
     * The length of the complete record at the start of {@link #in}, or 0 if it is not all there yet. A header
     * that cannot start a TLS record (content type, version or length out of range) is handed over at once, so
     * Bouncy Castle refuses it instead of this engine waiting for bytes that would never make sense.
     */
    private int nextRecord() {
        if (inLength < HEADER) {
            return 0;
        }
        int type = in[0] & 0xff;
        int total = HEADER + (((in[3] & 0xff) << 8) | (in[4] & 0xff));
        if (type < 20 || type > 24 || in[1] != 3 || total > MAX_RECORD) {
            return HEADER;
        }
        return inLength >= total ? total : 0;
    }

    private void emitOutput() {
        int n = protocol.getAvailableOutputBytes();
        if (out.length < n) {
            out = new byte[Math.max(n, out.length * 2)];
        }
        n = protocol.readOutput(out, 0, n);
        listener.ciphertext(ByteBuffer.wrap(out, 0, n));
    }

    private void fail(Throwable e) {
        LOG.debug("TLS {} session failed", role, e);
        fail(reason(e));
    }

    private void fail(String reason) {
        if (dead) {
            return;
        }
        dead = true;
        pendingSends.clear();
        try {
            if (protocol.getAvailableOutputBytes() > 0) {
                emitOutput(); // the alert for the peer
            }
        } catch (RuntimeException ignored) {
            // nothing more to send
        }
        LOG.debug("TLS {} session failed: {}", role, reason);
        listener.failed(reason);
    }

    private String reason(Throwable e) {
        String refusal = outcome.refusal;
        if (refusal != null) {
            return refusal;
        }
        if (e instanceof TlsFatalAlertReceived r) {
            return "peer refused the TLS session: alert " + AlertDescription.getName(r.getAlertDescription());
        }
        if (e instanceof TlsFatalAlert a) {
            return "TLS handshake failed: " + a.getMessage();
        }
        if (e instanceof TlsNoCloseNotifyException) {
            return "peer closed the TLS session without close_notify";
        }
        return "TLS error: " + e;
    }
}
