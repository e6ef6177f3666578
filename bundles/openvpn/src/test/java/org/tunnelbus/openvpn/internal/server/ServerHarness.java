package org.tunnelbus.openvpn.internal.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.tunnelbus.api.auth.Authenticator;
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.api.transport.TransportFactory;
import org.tunnelbus.auth.cert.internal.CertAuthConfig;
import org.tunnelbus.auth.cert.internal.CertAuthenticator;
import org.tunnelbus.core.internal.bus.Bus;
import org.tunnelbus.core.internal.bus.BusSettings;
import org.tunnelbus.core.internal.session.SessionRegistryImpl;
import org.tunnelbus.handshake.internal.AgreementConfig;
import org.tunnelbus.handshake.internal.AgreementHandshake;
import org.tunnelbus.handshake.internal.ClientOverrideConfig;
import org.tunnelbus.handshake.internal.ClientOverrideEntry;
import org.tunnelbus.handshake.internal.PushConfig;
import org.tunnelbus.handshake.internal.PushHandshake;
import org.tunnelbus.openvpn.internal.datapath.CipherFactories;
import org.tunnelbus.openvpn.internal.datapath.DataDecapStage;
import org.tunnelbus.openvpn.internal.datapath.DataOpenStage;
import org.tunnelbus.openvpn.internal.datapath.DataSealStage;
import org.tunnelbus.openvpn.internal.datapath.TransmitStage;
import org.tunnelbus.openvpn.internal.keys.StaticKeyFile;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;
import org.tunnelbus.route.ip.internal.IncomingRoute;
import org.tunnelbus.route.ip.internal.IpRouteTable;
import org.tunnelbus.route.ip.internal.OutgoingRoute;
import org.tunnelbus.route.ip.internal.RoutingConfig;
import org.tunnelbus.tls.bouncycastle.internal.BcDataChannelCipherFactory;
import org.tunnelbus.tls.bouncycastle.internal.BcTlsEngineFactory;
import org.tunnelbus.tls.jsse.internal.JsseTlsEngineFactory;
import org.tunnelbus.transport.tcp.internal.TcpTransportFactory;
import org.tunnelbus.transport.udp.internal.UdpTransportFactory;

/**
 * A whole server in plain Java, no framework: the core bus and session registry, routing, the push
 * handshake, certificate authentication, both TLS providers, the UDP and TCP transports (the listener's
 * {@code proto} picks one), the four OpenVPN data stages and one {@link ServerListener} on 127.0.0.1 (port 0), with a CA, certificates and static keys made
 * in a temporary directory. As the local "device" it answers ICMP echo requests (so a stock client's ping
 * through its TUN comes back) and counts everything else.
 */
final class ServerHarness implements AutoCloseable {
    final Path dir;
    final SessionRegistryImpl registry = new SessionRegistryImpl(64);
    final Bus bus = new Bus(BusSettings.defaults().withPool(2048, 2048, 128));
    final IpRouteTable routes = new IpRouteTable();
    final PushHandshake handshake;
    /** The agreement model, for listeners with handshake.mode = agreement: 10.8.0.1 here, the peer 10.8.0.2. */
    final AgreementHandshake agreement;
    final DataOpenStage open;
    final UdpTransportFactory udp = new UdpTransportFactory();
    final TcpTransportFactory tcp = new TcpTransportFactory();
    final BcTlsEngineFactory bouncycastle = new BcTlsEngineFactory(org.tunnelbus.tls.bouncycastle.internal.TlsSettings.defaults());
    final JsseTlsEngineFactory jsse = new JsseTlsEngineFactory(org.tunnelbus.tls.jsse.internal.TlsSettings.defaults());
    final CertAuthenticator certAuth;
    final ServerListener listener;
    final Path ca;
    final Path clientCert;
    final Path clientKey;
    final Path staticKey;
    final Map<String, Object> config = new HashMap<>();
    final CertificateAuthority authority;
    final AtomicLong echoed = new AtomicLong();
    final AtomicLong otherTraffic = new AtomicLong();

    ServerHarness(Path dir, Map<String, Object> listenerConfig, Map<String, Object> pushConfig) throws Exception {
        this.dir = dir;
        authority = CertificateAuthority.open(dir.resolve("pki"), CaPolicy.defaults());
        authority.ensureCa();
        IssuedCertificate server = authority.issueServer("server");
        IssuedCertificate client = authority.issueClient("client1");
        ca = authority.caCertificateFile();
        clientCert = client.certificateFile();
        clientKey = client.privateKeyFile();
        staticKey = dir.resolve("static.key");
        Files.writeString(staticKey, StaticKeyFile.format(StaticKeyFile.generate(new SecureRandom())));
        Files.setPosixFilePermissions(staticKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        Map<String, Object> push = new HashMap<>(Map.of("server", "10.8.0.0/24", "keepalive.ping", 1, "keepalive.restart", 5));
        push.putAll(pushConfig);
        handshake = new PushHandshake(routes, registry, Annotations.of(PushConfig.class, push), push);
        certAuth = new CertAuthenticator(Annotations.of(CertAuthConfig.class, Map.of("ca", ca.toString())),
                Map.of());
        registry.addListener(routes);
        registry.addListener(handshake);
        agreement = new AgreementHandshake(routes, registry, Annotations.of(AgreementConfig.class,
                Map.of("ifconfig", "10.8.0.1 10.8.0.2", "keepalive.ping", 1, "keepalive.restart", 5)));
        registry.addListener(agreement);

        CipherFactories crypto = CipherFactories.of(List.of(new BcDataChannelCipherFactory()));
        open = DataOpenStage.with(registry, crypto);
        bus.addStage(new DataDecapStage(), stage("openvpn-decap", "ENCAP", "incoming"));
        bus.addStage(open, stage("openvpn-open", "CRYPTO", "incoming"));
        bus.addStage(new IncomingRoute(routes, bus, Annotations.of(RoutingConfig.class, Map.of())),
                stage("route", "ROUTE", "incoming"));
        bus.addStage(new OutgoingRoute(routes), stage("route", "ROUTE", "outgoing"));
        bus.addStage(DataSealStage.with(crypto), stage("openvpn-seal", "CRYPTO", "outgoing"));
        bus.addStage(new TransmitStage(), stage("openvpn-transmit", "ENCAP", "outgoing"));
        bus.addSink(this::device, Map.of(PacketSink.DIRECTION, "incoming"));

        listener = new ServerListener(registry, bus);
        registry.addListener(listener);
        listener.bindTransportFactory(udp, Map.of(TransportFactory.PROTOCOL, "udp"));
        listener.bindTransportFactory(tcp, Map.of(TransportFactory.PROTOCOL, "tcp"));
        listener.bindTlsEngineFactory(bouncycastle, Map.of(TlsEngineFactory.PROVIDER, "bouncycastle", "service.ranking", 10));
        listener.bindTlsEngineFactory(jsse, Map.of(TlsEngineFactory.PROVIDER, "jsse"));
        listener.bindAuthenticator(certAuth, Map.of(Authenticator.SCHEME, "cert"));
        listener.bindConfigHandshake(handshake, Map.of(ConfigHandshake.MODE, "push"));
        listener.bindConfigHandshake(agreement, Map.of(ConfigHandshake.MODE, "agreement"));
        config.put("service.pid", "org.tunnelbus.openvpn.server~test");
        config.put("listen", "127.0.0.1");
        config.put("port", 0);
        config.put("ca", ca.toString());
        config.put("cert", server.certificateFile().toString());
        config.put("key", server.privateKeyFile().toString());
        config.put("tls.crypt", staticKey.toString());
        config.put("auth.required", new String[] {"cert"});
        config.putAll(listenerConfig);
        config.replaceAll((k, v) -> "@static".equals(v) ? staticKey.toString() : v);
        listener.activate(config);
        long end = System.nanoTime() + 5_000_000_000L;
        while (listener.localAddress() == null && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        if (listener.localAddress() == null) {
            throw new IllegalStateException("listener did not open its socket");
        }
    }

    private static Map<String, Object> stage(String name, String box, String direction) {
        return Map.of(PipelineStage.NAME, name, PipelineStage.BOX, box, PipelineStage.DIRECTION, new String[] {direction});
    }

    int port() {
        return listener.localAddress().getPort();
    }

    InetSocketAddress address() {
        return listener.localAddress();
    }

    /** The stock client configuration for this server; {@code extra} lines are appended. */
    String clientConfig(String... extra) {
        return clientConfig(clientCert, clientKey, extra);
    }

    /** A configuration for another client certificate, issued now. */
    String clientConfigFor(String name, String... extra) throws Exception {
        IssuedCertificate c = authority.issueClient(name);
        return clientConfig(c.certificateFile(), c.privateKeyFile(), extra);
    }

    private String clientConfig(Path cert, Path key, String... extra) {
        StringBuilder sb = new StringBuilder()
                .append("client\nproto udp\nremote 127.0.0.1 ").append(port()).append('\n')
                .append("nobind\nverb 4\nconnect-retry 1\nremote-cert-tls server\n")
                .append("ca ").append(ca).append('\n')
                .append("cert ").append(cert).append('\n')
                .append("key ").append(key).append('\n');
        Object crypt = config.get("tls.crypt");
        Object auth = config.get("tls.auth");
        if (crypt != null && !crypt.toString().isEmpty()) {
            sb.append("tls-crypt ").append(staticKey).append('\n');
        } else if (auth != null && !auth.toString().isEmpty()) {
            Object dirn = config.get("tls.auth.direction");
            String d = dirn == null || dirn.toString().isEmpty() ? "" : dirn.toString().equals("0") ? " 1" : " 0";
            sb.append("tls-auth ").append(staticKey).append(d).append('\n');
            Object digest = config.get("auth");
            if (digest != null) {
                sb.append("auth ").append(digest).append('\n');
            }
        }
        boolean dev = false;
        for (String e : extra) {
            sb.append(e).append('\n');
            dev |= e.startsWith("dev ");
        }
        if (!dev) {
            sb.append("dev null\nifconfig-noexec\nroute-noexec\n"); // no TUN: nothing to configure
        }
        return sb.toString();
    }

    /** The INCOMING default sink: ICMP echo requests are answered through the OUTGOING chain. */
    private void device(Packet p) {
        ByteBuffer b = p.buffer();
        int at = p.offset();
        int len = p.length();
        if (len >= 28 && (b.get(at) & 0xF0) == 0x40 && b.get(at + 9) == 1) {
            int ihl = (b.get(at) & 0x0F) * 4;
            if (len >= ihl + 8 && b.get(at + ihl) == 8) {
                int src = b.getInt(at + 12);
                b.putInt(at + 12, b.getInt(at + 16));
                b.putInt(at + 16, src);
                b.put(at + ihl, (byte) 0); // echo reply
                b.putShort(at + ihl + 2, (short) 0);
                b.putShort(at + ihl + 2, checksum(b, at + ihl, len - ihl));
                p.session(null);
                p.sink(null);
                p.mark(0);
                echoed.incrementAndGet();
                bus.submit(Direction.OUTGOING, p);
                return;
            }
        }
        otherTraffic.incrementAndGet();
        p.release();
    }

    private static short checksum(ByteBuffer b, int at, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += b.getShort(at + i) & 0xFFFF;
        }
        if ((len & 1) != 0) {
            sum += (b.get(at + len - 1) & 0xFF) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (short) ~sum;
    }

    /** Binds a per-client configuration for {@code name} to the push handshake, as Config Admin would. */
    ClientOverrideEntry override(String name, Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("name", name);
        ClientOverrideEntry entry = new ClientOverrideEntry(Annotations.of(ClientOverrideConfig.class, all),
                Map.of("service.pid", "org.tunnelbus.handshake.client~" + name));
        handshake.bindOverride(entry);
        return entry;
    }

    @Override
    public void close() throws IOException {
        try {
            listener.deactivate();
        } finally {
            bus.close();
        }
    }

    static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
