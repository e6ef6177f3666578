package org.tunnelbus.tls.bouncycastle.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.tunnelbus.api.tls.TlsEngine;
import org.tunnelbus.api.tls.TlsEngineListener;

/**
 * Two TLS engines joined in memory the way the OpenVPN control channel joins them: each side's ciphertext
 * is cut into pieces of at most {@value #CHUNK} bytes (one control packet each), queued, and fed to the
 * other side in order, alternating between the directions until both queues are empty.
 */
final class Pipe {
    static final int CHUNK = 1100;

    /** One end: the engine's listener, recording what comes out. */
    static final class End implements TlsEngineListener {
        final String name;
        final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
        final List<byte[]> records = new ArrayList<>();
        TlsEngine engine;
        boolean complete;
        String failure;
        int ciphertextCalls;
        /** Called with each record after it is recorded (e.g. to answer from inside the callback). */
        java.util.function.Consumer<byte[]> onRecord = r -> { };

        End(String name) {
            this.name = name;
        }

        @Override
        public void ciphertext(ByteBuffer data) {
            ciphertextCalls++;
            while (data.hasRemaining()) {
                byte[] piece = new byte[Math.min(CHUNK, data.remaining())];
                data.get(piece);
                outbox.add(piece);
            }
        }

        @Override
        public void plaintext(ByteBuffer record) {
            byte[] b = new byte[record.remaining()];
            record.get(b);
            records.add(b);
            onRecord.accept(b);
        }

        @Override
        public void handshakeComplete() {
            complete = true;
        }

        @Override
        public void failed(String reason) {
            if (failure == null) {
                failure = reason;
            }
        }

        @Override
        public String toString() {
            return name + (complete ? " complete" : "") + (failure != null ? " failed: " + failure : "");
        }
    }

    final End client = new End("client");
    final End server = new End("server");
    int pieces;
    int largestPiece;

    Pipe(Function<End, TlsEngine> clientEngine, Function<End, TlsEngine> serverEngine) {
        client.engine = clientEngine.apply(client);
        server.engine = serverEngine.apply(server);
    }

    /** Starts both ends and carries ciphertext until nothing moves (bounded). */
    Pipe handshake() {
        server.engine.begin();
        client.engine.begin();
        return run();
    }

    /** Carries queued ciphertext both ways until both queues are empty. */
    Pipe run() {
        boolean direct = false;
        for (int i = 0; i < 10_000 && (!client.outbox.isEmpty() || !server.outbox.isEmpty()); i++) {
            deliver(client, server, direct);
            deliver(server, client, direct);
            direct = !direct; // alternate heap and direct input buffers
        }
        return this;
    }

    private void deliver(End from, End to, boolean direct) {
        byte[] piece = from.outbox.poll();
        if (piece == null) {
            return;
        }
        pieces++;
        largestPiece = Math.max(largestPiece, piece.length);
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(piece.length) : ByteBuffer.allocate(piece.length);
        b.put(piece).flip();
        to.engine.receive(b);
        if (b.hasRemaining()) {
            throw new AssertionError(to.name + " did not consume its input");
        }
    }

    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
