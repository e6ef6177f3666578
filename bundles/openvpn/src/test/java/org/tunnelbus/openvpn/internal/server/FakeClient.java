package org.tunnelbus.openvpn.internal.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.crypto.ReplayWindow;
import org.tunnelbus.api.tls.TlsEngine;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.api.tls.TlsEngineListener;
import org.tunnelbus.api.tls.TlsRole;
import org.tunnelbus.api.tls.TlsSpec;
import org.tunnelbus.openvpn.internal.control.ControlMessageCodec;
import org.tunnelbus.openvpn.internal.control.IvProtoFlag;
import org.tunnelbus.openvpn.internal.control.KeyMethod2Message;
import org.tunnelbus.openvpn.internal.control.PeerInfo;
import org.tunnelbus.openvpn.internal.datapath.DataPacketOpener;
import org.tunnelbus.openvpn.internal.datapath.DataPacketSealer;
import org.tunnelbus.openvpn.internal.datapath.JceDataChannelCipherFactory;
import org.tunnelbus.openvpn.internal.datapath.KeepalivePing;
import org.tunnelbus.openvpn.internal.keys.EkmKeyExpansion;
import org.tunnelbus.openvpn.internal.keys.Key2;
import org.tunnelbus.openvpn.internal.keys.KeySource;
import org.tunnelbus.openvpn.internal.keys.PrfKeyExpansion;
import org.tunnelbus.openvpn.internal.occ.OccConfig;
import org.tunnelbus.openvpn.internal.occ.OccStringBuilder;
import org.tunnelbus.openvpn.internal.push.PushReply;
import org.tunnelbus.openvpn.internal.push.PushReplyParser;
import org.tunnelbus.openvpn.internal.reliable.ReceivedMessage;
import org.tunnelbus.openvpn.internal.reliable.ReliableChannel;
import org.tunnelbus.openvpn.internal.tlswrap.ControlChannelWrapper;
import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.ControlPacketCodec;
import org.tunnelbus.openvpn.internal.wire.HeaderByte;
import org.tunnelbus.openvpn.internal.wire.Opcode;
import org.tunnelbus.openvpn.internal.wire.SessionId;

/**
 * A small OpenVPN 2.6 client built from the protocol classes, over a real UDP socket, for tests that need to
 * misbehave or look inside (stock openvpn cannot): reset, TLS (Bouncy Castle client), key method 2,
 * PUSH_REQUEST, PUSH_REPLY, data packets, soft resets. Single-threaded: the test drives it with
 * {@link #until}.
 */
final class FakeClient implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final ControlChannelWrapper wrapper;
    private final TlsEngineFactory tlsFactory;
    private final TlsSpec spec;
    private final SecureRandom random = new SecureRandom();
    private final long sid = SessionId.random(random);
    private final PacketIdCounter replayIds = PacketIdCounter.longForm();
    private final ReplayWindow replay = new ReplayWindow();
    private final ControlPacket in = new ControlPacket();
    private final ControlPacket out = new ControlPacket();
    private final String peerInfo;

    long serverSid;
    int keyId;
    ReliableChannel channel;
    TlsEngine tls;
    boolean handshakeDone;
    String tlsFailure;
    KeySource ownSource;
    boolean serverKeyMethodRead;
    boolean keyMethodSent;
    final List<String> messages = new ArrayList<>();
    PushReply push;
    int peerId = -1;
    boolean ekm;
    DataKeyState dataKey;
    final List<byte[]> dataReceived = new ArrayList<>();
    int pingsReceived;
    private final ByteArrayOutputStream tlsOut = new ByteArrayOutputStream();

    FakeClient(InetSocketAddress server, ControlChannelWrapper clientWrapper, TlsEngineFactory tlsFactory,
            X509Certificate ca, List<X509Certificate> chain, PrivateKey key, String peerInfo) throws IOException {
        this(server, clientWrapper, tlsFactory, ca, chain, key, peerInfo, 0);
    }

    FakeClient(InetSocketAddress server, ControlChannelWrapper clientWrapper, TlsEngineFactory tlsFactory,
            X509Certificate ca, List<X509Certificate> chain, PrivateKey key, String peerInfo, int localPort)
            throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", localPort));
        this.socket.setSoTimeout(50);
        this.server = server;
        this.wrapper = clientWrapper;
        this.tlsFactory = tlsFactory;
        this.spec = new TlsSpec(TlsRole.CLIENT, List.of(ca), chain, key, "1.2", true);
        this.peerInfo = peerInfo;
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Sends the hard reset of key id 0. */
    void connect() throws IOException {
        keyId = 0;
        channel = new ReliableChannel(0, sid, InstantSource.system(), 2000);
        channel.queue(Opcode.HARD_RESET_CLIENT_V2, ByteBuffer.allocate(0));
        flush();
    }

    /** Starts a renegotiation: SOFT_RESET with the next key id and a new TLS session. */
    void softReset() throws IOException {
        keyId = HeaderByte.nextKeyId(keyId);
        startKeyState(keyId);
        channel.queue(Opcode.SOFT_RESET_V1, ByteBuffer.allocate(0));
        flush();
    }

    private void startKeyState(int id) {
        channel = new ReliableChannel(id, sid, InstantSource.system(), 2000);
        channel.peerSessionId(serverSid);
        tls = null;
        handshakeDone = false;
        serverKeyMethodRead = false;
        keyMethodSent = false;
        ownSource = null;
    }

    /** Processes packets and timers until {@code done} holds; false on timeout. */
    boolean until(BooleanSupplier done, long timeoutMillis) throws IOException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            receiveOne();
            advance();
            flush();
        }
        return true;
    }

    private void receiveOne() throws IOException {
        byte[] buf = new byte[4096];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return;
        }
        ByteBuffer wire = ByteBuffer.wrap(buf, 0, p.getLength());
        Opcode op = HeaderByte.opcode(buf[0]);
        if (op == Opcode.DATA_V2 || op == Opcode.DATA_V1) {
            data(wire);
            return;
        }
        ByteBuffer plain = ByteBuffer.allocate(4096);
        if (wrapper.unwrap(wire, plain, replay, Instant.now().getEpochSecond()) != null) {
            return;
        }
        plain.flip();
        if (ControlPacketCodec.parse(plain, in) != null) {
            return;
        }
        if (in.opcode() == Opcode.HARD_RESET_SERVER_V2) {
            serverSid = in.sessionId();
        }
        if (in.keyId() != channel.keyId()) {
            return;
        }
        channel.receive(in);
        ReceivedMessage m;
        while ((m = channel.poll()) != null) {
            if (m.opcode() == Opcode.CONTROL_V1 && tls != null) {
                tls.receive(ByteBuffer.wrap(m.payload()));
            }
        }
    }

    private void advance() {
        if (tls == null && SessionId.isDefined(serverSid) && channel.allAcknowledged()) {
            tls = tlsFactory.create(spec, new TlsEngineListener() {
                @Override
                public void ciphertext(ByteBuffer data) {
                    byte[] b = new byte[data.remaining()];
                    data.get(b);
                    tlsOut.writeBytes(b);
                }

                @Override
                public void plaintext(ByteBuffer record) {
                    FakeClient.this.plaintext(record);
                }

                @Override
                public void handshakeComplete() {
                    handshakeDone = true;
                }

                @Override
                public void failed(String reason) {
                    tlsFailure = reason;
                }
            });
            tls.begin();
        }
        if (handshakeDone && !keyMethodSent) {
            keyMethodSent = true;
            ownSource = KeySource.random(random, true);
            String options = OccStringBuilder.local(OccConfig.defaults(false));
            tls.send(ByteBuffer.wrap(KeyMethod2Message.fromClient(ownSource, options, "", "", peerInfo).encode()));
        }
        byte[] pending = tlsOut.toByteArray();
        int at = 0;
        while (at < pending.length && channel.canQueue()) {
            int n = Math.min(1000, pending.length - at);
            channel.queue(Opcode.CONTROL_V1, ByteBuffer.wrap(pending, at, n));
            at += n;
        }
        tlsOut.reset();
        tlsOut.write(pending, at, pending.length - at);
    }

    private void plaintext(ByteBuffer record) {
        if (!serverKeyMethodRead) {
            var km = KeyMethod2Message.parse(record, false);
            if (km.isOk()) {
                serverKeyMethodRead = true;
                serverSource = km.value().keySource();
                serverPeerInfo = km.value().peerInfo();
                if (p2p && keyId == 0) {
                    agreeAsP2p();
                }
                if (keyId > 0) {
                    deriveKeys();
                }
            }
            return;
        }
        for (String m : ControlMessageCodec.split(record)) {
            messages.add(m);
            if (m.startsWith("PUSH_REPLY")) {
                push = PushReplyParser.parse(m).value();
                push.find("peer-id").ifPresent(o -> peerId = Integer.parseInt(o.argument(0)));
                ekm = push.options().stream().anyMatch(o -> o.line().contains("tls-ekm"));
                cipher = push.find("cipher").map(o -> o.argument(0)).orElse("AES-256-GCM");
                deriveKeys();
            }
        }
    }

    private KeySource serverSource;
    /** The server's peer-info (a p2mp server sends none, a p2p TLS server its IV_PROTO and IV_CIPHERS). */
    PeerInfo serverPeerInfo;
    /** Acts as a stock p2p TLS client (no --pull): settles cipher and key derivation from the server's peer-info. */
    boolean p2p;

    /** p2p_mode_ncp() on the client side: the server's cipher preference among ours, tls-ekm if it announced it. */
    private void agreeAsP2p() {
        ekm = serverPeerInfo.has(IvProtoFlag.NCP_P2P) && serverPeerInfo.has(IvProtoFlag.TLS_KEY_EXPORT);
        List<String> ours = PeerInfo.parse(peerInfo).ciphers();
        cipher = serverPeerInfo.ciphers().stream().filter(ours::contains).findFirst().orElse(null);
        deriveKeys();
    }
    private String cipher = "AES-256-GCM";

    private void deriveKeys() {
        Key2 block = ekm ? EkmKeyExpansion.derive(tls::exportKeyingMaterial)
                : PrfKeyExpansion.derive(ownSource, serverSource, sid, serverSid);
        dataKey = new DataKeyState(keyId, cipher, block.toByteArray(), false, peerId < 0 ? DataKeyState.NO_PEER_ID : peerId,
                Instant.now());
    }

    /** Sends a control message (e.g. PUSH_REQUEST) on the current key state. */
    void send(String message) throws IOException {
        tls.send(ByteBuffer.wrap(ControlMessageCodec.encode(message)));
        advance();
        flush();
    }

    /** Sends one data packet with the current data key. */
    void sendData(byte[] payload) throws IOException {
        int len = CipherLength.of(dataKey.cipher());
        var c = new JceDataChannelCipherFactory().create(dataKey.cipher(), dataKey.cipherKey(true, len),
                dataKey.implicitIv(true), true);
        DataPacketSealer s = peerId < 0 ? DataPacketSealer.v1(c, dataKey.keyId(), dataKey.sendIds())
                : DataPacketSealer.v2(c, dataKey.keyId(), peerId, dataKey.sendIds());
        ByteBuffer buf = ByteBuffer.allocate(64 + payload.length + 16);
        buf.put(64, payload);
        int start = s.seal(buf, 64, payload.length);
        socket.send(new DatagramPacket(buf.array(), start, 64 + payload.length - start, server));
    }

    /** Sends raw bytes to the server (garbage tests). */
    void sendRaw(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, server));
    }

    private void data(ByteBuffer wire) {
        if (dataKey == null) {
            return;
        }
        int len = CipherLength.of(dataKey.cipher());
        var c = new JceDataChannelCipherFactory().create(dataKey.cipher(), dataKey.cipherKey(false, len),
                dataKey.implicitIv(false), false);
        DataPacketOpener o = new DataPacketOpener(c, dataKey.replayWindow());
        int off = wire.position();
        if (o.open(wire, off, wire.remaining(), Instant.now().getEpochSecond()) != null) {
            return;
        }
        int at = o.payloadOffset(wire, off);
        int n = wire.limit() - at;
        if (KeepalivePing.isPing(wire, at, n)) {
            pingsReceived++;
            return;
        }
        byte[] b = new byte[n];
        wire.get(at, b);
        dataReceived.add(b);
    }

    private void flush() throws IOException {
        ByteBuffer plain = ByteBuffer.allocate(4096);
        ByteBuffer wire = ByteBuffer.allocate(4096);
        while (channel.nextTransmission(out)) {
            plain.clear();
            ControlPacketCodec.write(out, plain);
            plain.flip();
            wire.clear();
            wrapper.wrap(plain, wire, replayIds, Instant.now().getEpochSecond());
            wire.flip();
            socket.send(new DatagramPacket(wire.array(), 0, wire.limit(), server));
        }
    }

    @Override
    public void close() {
        if (tls != null) {
            tls.close();
        }
        socket.close();
    }

    /** AEAD key lengths by name. */
    static final class CipherLength {
        static int of(String cipher) {
            return cipher.equals("AES-128-GCM") ? 16 : 32;
        }
    }
}
