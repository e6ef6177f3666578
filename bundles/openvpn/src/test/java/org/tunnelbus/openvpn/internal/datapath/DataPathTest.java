package org.tunnelbus.openvpn.internal.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.api.crypto.DataKeys;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionState;
import org.tunnelbus.api.transport.TransportLink;
import org.tunnelbus.core.internal.bus.Bus;
import org.tunnelbus.core.internal.bus.BusSettings;
import org.tunnelbus.core.internal.session.SessionRegistryImpl;
import org.tunnelbus.openvpn.internal.datapath.DataPacketOpener;
import org.tunnelbus.openvpn.internal.datapath.DataPacketSealer;
import org.tunnelbus.openvpn.internal.datapath.JceDataChannelCipherFactory;
import org.tunnelbus.openvpn.internal.datapath.KeepalivePing;
import org.tunnelbus.openvpn.internal.occ.OccMessage;
import org.tunnelbus.tls.bouncycastle.internal.BcDataChannelCipherFactory;

/**
 * The four data-path stages in a real core {@link Bus}: the server seals outgoing packets that a client
 * built from the same key block opens, and opens what that client seals; pings, OCC_EXIT, replays, float,
 * missing keys and the no-plaintext rule.
 */
class DataPathTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress FLOATED = new InetSocketAddress("127.0.0.2", 40001);

    private final SessionRegistryImpl registry = new SessionRegistryImpl(16);
    private final Bus bus = new Bus(BusSettings.defaults().withPool(512, 2048, 128));
    private final List<byte[]> wire = new ArrayList<>();
    private final List<InetSocketAddress> wireTo = new ArrayList<>();
    private final List<byte[]> delivered = new ArrayList<>();
    private final PacketSink link = packet -> {
        wire.add(bytes(packet));
        wireTo.add(packet.address());
        packet.release();
    };
    private final PacketSink device = packet -> {
        delivered.add(bytes(packet));
        packet.release();
    };
    private DataOpenStage open;
    private DataSealStage sealStage;
    private Session session;
    private byte[] key2;

    @BeforeEach
    void setUp() {
        CipherFactories factories = CipherFactories.of(List.of(new BcDataChannelCipherFactory()));
        open = DataOpenStage.with(registry, factories);
        bus.addStage(new DataDecapStage(), props("openvpn-decap", "ENCAP", "incoming"));
        bus.addStage(open, props("openvpn-open", "CRYPTO", "incoming"));
        sealStage = DataSealStage.with(factories);
        bus.addStage(sealStage, props("openvpn-seal", "CRYPTO", "outgoing"));
        bus.addStage(new TransmitStage(), props("openvpn-transmit", "ENCAP", "outgoing"));
        Map<String, Object> sinkProps = new HashMap<>();
        sinkProps.put(PacketSink.DIRECTION, "incoming");
        bus.addSink(device, sinkProps);
        session = registry.open(CLIENT);
        session.set(TransportLink.KEY, link);
        key2 = new byte[DataKeyState.KEY2_LENGTH];
        new SecureRandom().nextBytes(key2);
    }

    @AfterEach
    void tearDown() {
        bus.close();
    }

    private static Map<String, Object> props(String name, String box, String direction) {
        Map<String, Object> m = new HashMap<>();
        m.put(PipelineStage.NAME, name);
        m.put(PipelineStage.BOX, box);
        m.put(PipelineStage.DIRECTION, new String[] {direction});
        return m;
    }

    private static byte[] bytes(Packet p) {
        byte[] b = new byte[p.length()];
        p.buffer().get(p.offset(), b);
        return b;
    }

    private DataKeyState install(int keyId, String cipher) {
        DataKeyState server = new DataKeyState(keyId, cipher, key2, true, session.peerId(), Instant.now());
        DataKeys keys = session.get(DataKeys.KEY);
        session.set(DataKeys.KEY, (keys == null ? DataKeys.NONE : keys).with(server).promote(keyId));
        session.state(SessionState.ACTIVE);
        return server;
    }

    /** The client's view of the same key block (it sends with keys[0]). */
    private DataKeyState clientKey(int keyId, String cipher) {
        return new DataKeyState(keyId, cipher, key2, false, session.peerId(), Instant.now());
    }

    private byte[] clientSeal(DataKeyState client, byte[] payload, boolean v2) {
        JceDataChannelCipherFactory f = new JceDataChannelCipherFactory();
        int keyLength = CipherFactories.keyLength(client.cipher());
        var cipher = f.create(client.cipher(), client.cipherKey(true, keyLength), client.implicitIv(true), true);
        DataPacketSealer s = v2 ? DataPacketSealer.v2(cipher, client.keyId(), client.peerId(), client.sendIds())
                : DataPacketSealer.v1(cipher, client.keyId(), client.sendIds());
        ByteBuffer buf = ByteBuffer.allocate(64 + payload.length + 16);
        buf.put(64, payload);
        int start = s.seal(buf, 64, payload.length);
        byte[] out = new byte[64 + payload.length - start];
        buf.get(start, out);
        return out;
    }

    private byte[] clientOpen(DataKeyState client, byte[] packet) {
        int keyLength = CipherFactories.keyLength(client.cipher());
        var cipher = new JceDataChannelCipherFactory().create(client.cipher(), client.cipherKey(false, keyLength),
                client.implicitIv(false), false);
        DataPacketOpener o = new DataPacketOpener(cipher, client.replayWindow());
        ByteBuffer buf = ByteBuffer.wrap(packet.clone());
        assertNull(o.open(buf, 0, packet.length, 0));
        int at = o.payloadOffset(buf, 0);
        byte[] plain = new byte[packet.length - at];
        buf.get(at, plain);
        return plain;
    }

    private void receive(byte[] datagram, InetSocketAddress from) {
        Packet p = bus.allocator().allocate();
        p.put(datagram, 0, datagram.length);
        p.address(from);
        p.session(session);
        bus.submit(Direction.INCOMING, p);
    }

    private void send(byte[] payload) {
        Packet p = bus.allocator().allocate();
        p.put(payload, 0, payload.length);
        p.session(session);
        bus.submit(Direction.OUTGOING, p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305"})
    void sealedByTheServerOpensAtTheClientAndBack(String cipher) {
        install(0, cipher);
        DataKeyState client = clientKey(0, cipher);
        byte[] ip = ipPacket(100);
        send(ip);
        assertEquals(1, wire.size());
        byte[] packet = wire.get(0);
        assertEquals(0x48, packet[0] & 0xFF);
        assertEquals(session.peerId(), ByteBuffer.wrap(packet).getInt(0) & 0xFFFFFF);
        assertEquals(1, ByteBuffer.wrap(packet).getInt(4), "first packet id is 1");
        assertEquals(ip.length + 24, packet.length);
        assertSame(CLIENT, wireTo.get(0));
        assertArrayEquals(ip, clientOpen(client, packet));

        receive(clientSeal(client, ip, true), CLIENT);
        assertEquals(1, delivered.size());
        assertArrayEquals(ip, delivered.get(0));
        assertEquals(ip.length, session.bytesIn());
        assertEquals(ip.length, session.bytesOut());
    }

    @Test
    void acceptsDataV1() {
        install(0, "AES-256-GCM");
        DataKeyState client = clientKey(0, "AES-256-GCM");
        receive(clientSeal(client, ipPacket(60), false), CLIENT);
        assertEquals(1, delivered.size());
    }

    @Test
    void pingsAreCountedAndNotDelivered() {
        install(0, "AES-256-GCM");
        DataKeyState client = clientKey(0, "AES-256-GCM");
        receive(clientSeal(client, KeepalivePing.payload(), true), CLIENT);
        assertEquals(0, delivered.size());
        assertEquals(1, open.pings());
        assertEquals(16, session.bytesIn(), "a ping is traffic for ping-restart");
        assertEquals(0, bus.allocator().outstanding());
    }

    @Test
    void occExitClosesTheSession() {
        install(0, "AES-256-GCM");
        DataKeyState client = clientKey(0, "AES-256-GCM");
        receive(clientSeal(client, OccMessage.encode(OccMessage.Opcode.EXIT), true), CLIENT);
        assertEquals(SessionState.CLOSED, session.state());
        assertNull(registry.byPeerId(session.peerId()));
        assertEquals(0, delivered.size());
    }

    @Test
    void replaysAndForgeriesAreDroppedAndCounted() {
        install(0, "AES-256-GCM");
        DataKeyState client = clientKey(0, "AES-256-GCM");
        byte[] p = clientSeal(client, ipPacket(80), true);
        receive(p, CLIENT);
        receive(p, CLIENT);
        byte[] forged = clientSeal(client, ipPacket(80), true);
        forged[forged.length - 1] ^= 1;
        receive(forged, CLIENT);
        assertEquals(1, delivered.size());
        assertEquals(1L, bus.counters().get("incoming.openvpn-open.drop.replay"));
        assertEquals(1L, bus.counters().get("incoming.openvpn-open.drop.decrypt-failed"));
        assertEquals(0, bus.allocator().outstanding());
    }

    @Test
    void floatsOnlyAfterAuthentication() {
        install(0, "AES-256-GCM");
        DataKeyState client = clientKey(0, "AES-256-GCM");
        byte[] forged = clientSeal(client, ipPacket(80), true);
        forged[30] ^= 1;
        receive(forged, FLOATED);
        assertEquals(CLIENT, session.remote());
        receive(clientSeal(client, ipPacket(80), true), FLOATED);
        assertEquals(FLOATED, session.remote());
        assertEquals(1, open.floats());
        send(ipPacket(40));
        assertEquals(FLOATED, wireTo.get(0), "replies follow the float");
    }

    @Test
    void renegotiatedKeyReplacesTheSendKeyAndTheLameDuckStillOpens() {
        DataKeyState k0 = install(0, "AES-256-GCM");
        DataKeyState client0 = clientKey(0, "AES-256-GCM");
        send(ipPacket(40));
        byte[] first = wire.get(0);
        new SecureRandom().nextBytes(key2);
        install(1, "AES-256-GCM");
        DataKeyState client1 = clientKey(1, "AES-256-GCM");
        send(ipPacket(40));
        byte[] second = wire.get(1);
        assertEquals(0x48, first[0] & 0xFF);
        assertEquals(0x49, second[0] & 0xFF, "key id 1 in the header");
        assertEquals(1, ByteBuffer.wrap(second).getInt(4), "packet ids restart for the new key");
        clientOpen(client1, second);
        // the client still sends on key 0 for a while (§6.4)
        receive(clientSeal(client0, ipPacket(50), true), CLIENT);
        receive(clientSeal(client1, ipPacket(50), true), CLIENT);
        assertEquals(2, delivered.size());
        assertSame(k0, session.get(DataKeys.KEY).lameDuck());
    }

    @Test
    void withoutKeysNothingPassesAndNothingLeaks() {
        send(ipPacket(40));
        receive(new byte[] {0x48, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}, CLIENT);
        assertEquals(0, wire.size());
        assertEquals(0, delivered.size());
        assertEquals(1L, bus.counters().get("outgoing.openvpn-seal.drop.no-key"));
        assertEquals(1L, bus.counters().get("incoming.openvpn-decap.drop.no-key"));
        // a packet that skipped the seal stage is never transmitted
        Bus bare = new Bus();
        try {
            bare.addStage(new TransmitStage(), props("openvpn-transmit", "ENCAP", "outgoing"));
            Packet p = bare.allocator().allocate();
            p.put(new byte[] {1, 2, 3}, 0, 3);
            p.session(session);
            bare.submit(Direction.OUTGOING, p);
            assertEquals(0, wire.size());
            assertEquals(1L, bare.counters().get("outgoing.openvpn-transmit.drop.not-sealed"));
        } finally {
            bare.close();
        }
    }

    @Test
    void garbageIsDroppedWithReasons() {
        install(0, "AES-256-GCM");
        receive(new byte[] {0x20, 1, 2}, CLIENT);
        receive(new byte[] {0x48, 0, 0, 0}, CLIENT);
        receive(new byte[0], CLIENT);
        Packet p = bus.allocator().allocate();
        p.put(new byte[30], 0, 30);
        p.buffer().put(p.offset(), (byte) 0x48);
        bus.submit(Direction.INCOMING, p); // no session
        Map<String, Long> c = bus.counters();
        assertEquals(1L, c.get("incoming.openvpn-decap.drop.not-data"));
        assertEquals(2L, c.get("incoming.openvpn-decap.drop.too-short"));
        assertEquals(1L, c.get("incoming.openvpn-decap.drop.unknown-peer-id"));
        assertEquals(0, bus.allocator().outstanding());
    }

    @Test
    void concurrentSealersShareOneCounter() throws InterruptedException {
        install(0, "AES-128-GCM");
        int threads = 4;
        int each = 500;
        List<byte[]> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        session.set(TransportLink.KEY, packet -> {
            sent.add(bytes(packet));
            packet.release();
        });
        Thread[] t = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            t[i] = new Thread(() -> {
                for (int n = 0; n < each; n++) {
                    send(ipPacket(64));
                }
            });
            t[i].start();
        }
        for (Thread x : t) {
            x.join();
        }
        assertEquals(threads * each, sent.size());
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        DataKeyState client = clientKey(0, "AES-128-GCM");
        for (byte[] s : sent) {
            assertTrue(ids.add(ByteBuffer.wrap(s).getInt(4)));
        }
        assertEquals(threads * each, session.get(DataKeys.KEY).send().sendIds().lastId());
        clientOpen(client, sent.get(sent.size() - 1));
    }

    /**
     * DESIGN invariant 4: stages replaced under traffic (a bundle update) rebuild their contexts from the session:
     * the packet-id sequence continues and a packet the old stage accepted is still a replay for the new one.
     */
    @Test
    void replacedStagesContinueFromTheSessionState() {
        install(0, "AES-256-GCM");
        DataKeyState client = clientKey(0, "AES-256-GCM");
        byte[] accepted = clientSeal(client, ipPacket(60), true);
        receive(accepted, CLIENT);
        send(ipPacket(40));
        send(ipPacket(40));

        CipherFactories jce = CipherFactories.of(List.of(new JceDataChannelCipherFactory())); // another provider, too
        DataOpenStage newOpen = DataOpenStage.with(registry, jce);
        DataSealStage newSeal = DataSealStage.with(jce);
        bus.addStage(newOpen, props("openvpn-open", "CRYPTO", "incoming"));
        bus.removeStage(open);
        bus.addStage(newSeal, props("openvpn-seal", "CRYPTO", "outgoing"));
        bus.removeStage(sealStage);

        receive(accepted, CLIENT);
        assertEquals(1, delivered.size(), "the replay window lives in the session");
        send(ipPacket(40));
        assertEquals(3, ByteBuffer.wrap(wire.get(2)).getInt(4), "packet ids continue: 1, 2, then 3");
        assertArrayEquals(ipPacket(40), clientOpen(client, wire.get(2)));
        receive(clientSeal(client, ipPacket(61), true), CLIENT);
        assertEquals(2, delivered.size());
    }

    /** A crypto module that comes or goes (dynamic reference) is used from the next packet on, no stage restart. */
    @Test
    void aNewCipherProviderIsPickedUpLive() {
        DataSealStage seal = new DataSealStage();
        DataOpenStage open2 = new DataOpenStage(registry);
        bus.addStage(seal, props("openvpn-seal", "CRYPTO", "outgoing"));
        bus.removeStage(sealStage);
        bus.addStage(open2, props("openvpn-open", "CRYPTO", "incoming"));
        bus.removeStage(open);
        install(0, "AES-256-GCM");
        DataKeyState client = clientKey(0, "AES-256-GCM");
        send(ipPacket(40));
        assertEquals(0, wire.size());
        assertEquals(1L, bus.counters().get("outgoing.openvpn-seal.drop.no-cipher"));

        int[] created = new int[1];
        JceDataChannelCipherFactory jce = new JceDataChannelCipherFactory();
        org.tunnelbus.api.crypto.DataChannelCipherFactory counting = new org.tunnelbus.api.crypto.DataChannelCipherFactory() {
            @Override
            public java.util.Set<String> ciphers() {
                return jce.ciphers();
            }

            @Override
            public org.tunnelbus.api.crypto.DataChannelCipher create(String c, byte[] k, byte[] iv, boolean encrypt) {
                created[0]++;
                return jce.create(c, k, iv, encrypt);
            }
        };
        seal.bindCipherFactory(counting, Map.of("service.ranking", 5));
        open2.bindCipherFactory(counting, Map.of("service.ranking", 5));
        send(ipPacket(40));
        assertEquals(1, wire.size());
        assertArrayEquals(ipPacket(40), clientOpen(client, wire.get(0)));
        receive(clientSeal(client, ipPacket(44), true), CLIENT);
        assertEquals(1, delivered.size());
        int afterFirst = created[0];
        assertTrue(afterFirst >= 2);

        BcDataChannelCipherFactory bc = new BcDataChannelCipherFactory();
        seal.bindCipherFactory(bc, Map.of("service.ranking", 50));
        seal.unbindCipherFactory(counting);
        send(ipPacket(40));
        assertEquals(afterFirst, created[0], "the better-ranked provider took over");
        assertArrayEquals(ipPacket(40), clientOpen(client, wire.get(1)));
        assertEquals(2, ByteBuffer.wrap(wire.get(1)).getInt(4), "and the packet ids continue");
    }

    /** A minimal IPv4 header followed by zeros. */
    private static byte[] ipPacket(int length) {
        byte[] b = new byte[length];
        b[0] = 0x45;
        b[2] = (byte) (length >>> 8);
        b[3] = (byte) length;
        return b;
    }
}
