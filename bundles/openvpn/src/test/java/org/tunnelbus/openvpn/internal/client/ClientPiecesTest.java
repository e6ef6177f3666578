package org.tunnelbus.openvpn.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.route.Prefix;
import org.tunnelbus.openvpn.internal.control.IvProtoFlag;
import org.tunnelbus.openvpn.internal.control.PeerInfo;
import org.tunnelbus.openvpn.internal.occ.OccConfig;
import org.tunnelbus.openvpn.internal.occ.OccStringBuilder;
import org.tunnelbus.openvpn.internal.push.PushReplyParser;

/** The small parts of the client: backoff, what it reads from a push, what it announces, its settings. */
class ClientPiecesTest {

    @Test
    void backoffDoublesUpToTheMaximumAndStartsOverAfterSuccess() {
        Backoff b = new Backoff(1_000, 5_000);
        assertEquals(List.of(1_000L, 2_000L, 4_000L, 5_000L, 5_000L),
                List.of(b.next(), b.next(), b.next(), b.next(), b.next()));
        b.reset();
        assertEquals(1_000, b.next());
    }

    @Test
    void readsProtocolSettingsOfAStock26Push() {
        var reply = PushReplyParser.parse("PUSH_REPLY,route-gateway 10.8.0.1,topology subnet,ping 2,ping-restart 10,"
                + "ifconfig 10.8.0.2 255.255.255.0,peer-id 7,cipher AES-256-GCM,protocol-flags cc-exit tls-ekm dyn-tls-crypt,"
                + "tun-mtu 1500").value();
        PushedProtocol p = PushedProtocol.of(reply.options());
        assertEquals(new PushedProtocol("AES-256-GCM", 7, true, true), p);
    }

    @Test
    void olderPushesMeanPrfKeysAndDataV1() {
        var reply = PushReplyParser.parse("PUSH_REPLY,ifconfig 10.8.0.2 255.255.255.0,cipher AES-128-GCM").value();
        assertEquals(new PushedProtocol("AES-128-GCM", DataKeyState.NO_PEER_ID, false, false),
                PushedProtocol.of(reply.options()));
        var v25 = PushReplyParser.parse("PUSH_REPLY,peer-id 16777215,key-derivation tls-ekm,cipher AES-256-GCM").value();
        PushedProtocol p = PushedProtocol.of(v25.options());
        assertEquals(DataKeyState.NO_PEER_ID, p.peerId(), "0xFFFFFF means no peer-id");
        assertTrue(p.ekm());
        assertFalse(p.ccExit());
    }

    @Test
    void peerInfoAnnouncesWhatTheClientImplements() {
        PeerInfo withExporter = PeerInfo.parse(ClientPeerInfo.build(List.of("AES-256-GCM", "AES-128-GCM"), true));
        assertTrue(withExporter.has(IvProtoFlag.DATA_V2));
        assertTrue(withExporter.has(IvProtoFlag.REQUEST_PUSH));
        assertTrue(withExporter.has(IvProtoFlag.TLS_KEY_EXPORT));
        assertTrue(withExporter.has(IvProtoFlag.CC_EXIT_NOTIFY));
        assertFalse(withExporter.has(IvProtoFlag.DYN_TLS_CRYPT), "dynamic tls-crypt is not implemented");
        assertEquals("2", withExporter.get(PeerInfo.IV_NCP));
        assertEquals(List.of("AES-256-GCM", "AES-128-GCM"), withExporter.ciphers());
        PeerInfo chacha = PeerInfo.parse(ClientPeerInfo.build(List.of("CHACHA20-POLY1305"), false));
        assertFalse(chacha.has(IvProtoFlag.TLS_KEY_EXPORT));
        assertEquals(null, chacha.get(PeerInfo.IV_NCP));
    }

    @Test
    void settingsNameEveryBadProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientSettings.from(Map.of("port", "99999", "ca", "/nonexistent/ca.crt")));
        assertTrue(e.getMessage().contains("'remote'"), e.getMessage());
        assertTrue(e.getMessage().contains("'port'"), e.getMessage());
        assertTrue(e.getMessage().contains("'ca'"), e.getMessage());
        assertTrue(e.getMessage().contains("'cert'"), e.getMessage());
        assertTrue(e.getMessage().contains("'key'"), e.getMessage());
    }

    @Test
    void severalRemotesAreTriedInOrderAndWrapAround() {
        List<RemoteList.Remote> parsed = RemoteList.parse(List.of("vpn1.example.org", "vpn2.example.org 443",
                "192.0.2.7 1195 udp"), 1194, ClientProto.UDP);
        assertEquals(List.of(new RemoteList.Remote("vpn1.example.org", 1194), new RemoteList.Remote("vpn2.example.org", 443),
                new RemoteList.Remote("192.0.2.7", 1195)), parsed);
        RemoteList list = new RemoteList(parsed, false, new java.util.Random(1));
        assertEquals("vpn1.example.org:1194", list.current().toString());
        list.advance();
        list.advance();
        assertEquals("192.0.2.7:1195", list.current().toString());
        list.advance();
        assertEquals("vpn1.example.org:1194", list.current().toString(), "after the last, the first again");
        RemoteList shuffled = new RemoteList(parsed, true, new java.util.Random(1));
        assertEquals(java.util.Set.copyOf(parsed), java.util.Set.copyOf(shuffled.all()), "remote-random: same servers");

        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> RemoteList.parse(List.of("a 1194 tcp"), 1194, ClientProto.UDP));
        assertTrue(other.getMessage().contains("proto = udp"), other.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RemoteList.parse(List.of("a 70000"), 1194, ClientProto.UDP));
    }

    @Test
    void protoNamesWhatAStockClientConfigurationUses() {
        assertEquals(ClientProto.UDP, ClientProto.parse("udp"));
        assertEquals(ClientProto.TCP, ClientProto.parse("tcp"));
        assertEquals(ClientProto.TCP, ClientProto.parse("TCP-client"));
        assertEquals("tcp", ClientProto.TCP.transport());
        assertFalse(ClientProto.TCP.exitNotify(), "stock ignores explicit-exit-notify over TCP");
        assertTrue(ClientProto.UDP.exitNotify());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientProto.parse("tcp-server"));
        assertTrue(e.getMessage().contains("udp or tcp"), e.getMessage());
    }

    @Test
    void tcpOptionsStringSaysTcpClientAndCountsTheLengthField() {
        // what a stock 2.6 TCP client with defaults sends (the UDP one: UDPv4 and link-mtu 2 less)
        assertEquals("V4,dev-type tun,link-mtu 1543,tun-mtu 1500,proto TCPv4_CLIENT,auth SHA1,keysize 128,"
                + "key-method 2,tls-client", OccStringBuilder.local(OccConfig.defaults(false).withProto(ClientProto.TCP.occ())));
        assertEquals("V4,dev-type tun,link-mtu 1541,tun-mtu 1500,proto UDPv4,auth SHA1,keysize 128,"
                + "key-method 2,tls-client", OccStringBuilder.local(OccConfig.defaults(false).withProto(ClientProto.UDP.occ())));
    }

    @Test
    void deviceConfigurationCarriesThePushedAddressAndRoutes() {
        TunnelConfig config = new TunnelConfig("10.8.0.2/24", "10.8.0.1", "subnet", "AES-256-GCM", 10, 60,
                List.of(Prefix.parse("192.168.50.0/24")), List.of());
        var d = DeviceConfigWriter.properties("tun-client", 1500, config);
        assertEquals("tun-client", d.get("name"));
        assertEquals(List.of("10.8.0.2/24"), List.of((String[]) d.get("addresses")));
        assertEquals(List.of("192.168.50.0/24"), List.of((String[]) d.get("routes")));
    }
}
