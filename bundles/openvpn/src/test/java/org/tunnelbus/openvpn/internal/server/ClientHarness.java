package org.tunnelbus.openvpn.internal.server;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.api.transport.TransportFactory;
import org.tunnelbus.core.internal.bus.Bus;
import org.tunnelbus.core.internal.bus.BusSettings;
import org.tunnelbus.core.internal.session.SessionRegistryImpl;
import org.tunnelbus.handshake.internal.AgreementConfig;
import org.tunnelbus.handshake.internal.AgreementHandshake;
import org.tunnelbus.handshake.internal.PushConfig;
import org.tunnelbus.handshake.internal.PushHandshake;
import org.tunnelbus.openvpn.internal.client.ClientConnector;
import org.tunnelbus.openvpn.internal.channel.ControlChannel;
import org.tunnelbus.openvpn.internal.datapath.CipherFactories;
import org.tunnelbus.openvpn.internal.datapath.DataDecapStage;
import org.tunnelbus.openvpn.internal.datapath.DataOpenStage;
import org.tunnelbus.openvpn.internal.datapath.DataSealStage;
import org.tunnelbus.openvpn.internal.datapath.TransmitStage;
import org.tunnelbus.route.ip.internal.IncomingRoute;
import org.tunnelbus.route.ip.internal.IpRouteTable;
import org.tunnelbus.route.ip.internal.OutgoingRoute;
import org.tunnelbus.route.ip.internal.RoutingConfig;
import org.tunnelbus.tls.bouncycastle.internal.BcDataChannelCipherFactory;

/**
 * A whole Tunnelbus client in plain Java, no framework: its own bus, session registry, routing, push handshake
 * (for {@code apply}), the four OpenVPN data stages and one {@link ClientConnector} pointed at a
 * {@link ServerHarness} over real UDP (or TCP, {@code proto}) on loopback. The "device" records what the tunnel delivers and
 * {@link #sendIp} plays the TUN device handing the bus an IP packet.
 */
final class ClientHarness implements AutoCloseable {
    final SessionRegistryImpl registry = new SessionRegistryImpl(16);
    final Bus bus = new Bus(BusSettings.defaults().withPool(1024, 2048, 128));
    final IpRouteTable routes = new IpRouteTable();
    final ClientConnector connector;
    final List<byte[]> delivered = new CopyOnWriteArrayList<>();

    ClientHarness(ServerHarness server, Map<String, Object> overrides) {
        Map<String, Object> push = Map.of("server", "10.99.0.0/24"); // unused on a client: apply() only parses
        PushHandshake handshake = new PushHandshake(routes, registry, Annotations.of(PushConfig.class, push), push);
        registry.addListener(routes);
        CipherFactories crypto = CipherFactories.of(List.of(new BcDataChannelCipherFactory()));
        bus.addStage(new DataDecapStage(), stage("openvpn-decap", "ENCAP", "incoming"));
        bus.addStage(DataOpenStage.with(registry, crypto), stage("openvpn-open", "CRYPTO", "incoming"));
        bus.addStage(new IncomingRoute(routes, bus, Annotations.of(RoutingConfig.class, Map.of())),
                stage("route", "ROUTE", "incoming"));
        bus.addStage(new OutgoingRoute(routes), stage("route", "ROUTE", "outgoing"));
        bus.addStage(DataSealStage.with(crypto), stage("openvpn-seal", "CRYPTO", "outgoing"));
        bus.addStage(new TransmitStage(), stage("openvpn-transmit", "ENCAP", "outgoing"));
        bus.addSink(this::device, Map.of(PacketSink.DIRECTION, "incoming"));

        connector = new ClientConnector(registry, bus, routes, java.time.InstantSource.system());
        registry.addListener(connector);
        connector.bindTransportFactory(server.udp, Map.of(TransportFactory.PROTOCOL, "udp"));
        connector.bindTransportFactory(server.tcp, Map.of(TransportFactory.PROTOCOL, "tcp"));
        connector.bindTlsEngineFactory(server.bouncycastle, Map.of(TlsEngineFactory.PROVIDER, "bouncycastle"));
        connector.bindTlsEngineFactory(server.jsse, Map.of(TlsEngineFactory.PROVIDER, "jsse"));
        connector.bindConfigHandshake(handshake, Map.of(ConfigHandshake.MODE, "push"));
        // the mirror image of the server harness's agreement (10.8.0.1 10.8.0.2)
        connector.bindConfigHandshake(new AgreementHandshake(routes, registry, Annotations.of(AgreementConfig.class,
                Map.of("ifconfig", "10.8.0.2 10.8.0.1", "keepalive.ping", 1, "keepalive.restart", 5))),
                Map.of(ConfigHandshake.MODE, "agreement"));
        Map<String, Object> config = new HashMap<>();
        config.put("service.pid", "org.tunnelbus.openvpn.client~test");
        config.put("remote", "127.0.0.1");
        config.put("port", server.port());
        config.put("ca", server.ca.toString());
        config.put("cert", server.clientCert.toString());
        config.put("key", server.clientKey.toString());
        config.put("tls.crypt", server.staticKey.toString());
        config.put("device", "");
        config.putAll(overrides);
        connector.activate(config);
    }

    private static Map<String, Object> stage(String name, String box, String direction) {
        return Map.of(PipelineStage.NAME, name, PipelineStage.BOX, box, PipelineStage.DIRECTION, new String[] {direction});
    }

    ControlChannel control() {
        return connector.control();
    }

    boolean isUp() {
        ControlChannel c = connector.control();
        return c != null && c.isUp();
    }

    /** Plays the TUN device: an IP packet read from it enters the OUTGOING chain. */
    void sendIp(byte[] ip) {
        Packet p = bus.allocator().allocate();
        p.put(ip, 0, ip.length);
        bus.submit(Direction.OUTGOING, p);
    }

    private void device(Packet p) {
        byte[] b = new byte[p.length()];
        p.buffer().get(p.offset(), b);
        delivered.add(b);
        p.release();
    }

    /** An ICMP echo request {@code src → dst} with identifier/sequence {@code seq} (checksums left to the echoer). */
    static byte[] echoRequest(int src, int dst, int seq) {
        ByteBuffer b = ByteBuffer.allocate(28 + 32);
        b.put((byte) 0x45).put((byte) 0).putShort((short) b.capacity()).putInt(0).put((byte) 64).put((byte) 1)
                .putShort((short) 0).putInt(src).putInt(dst);
        b.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) 0x7b7b).putShort((short) seq);
        return b.array();
    }

    @Override
    public void close() {
        try {
            connector.deactivate();
        } finally {
            bus.close();
        }
    }
}
