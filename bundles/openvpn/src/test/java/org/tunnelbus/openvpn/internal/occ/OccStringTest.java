package org.tunnelbus.openvpn.internal.occ;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.ReferenceVectors;
import org.tunnelbus.openvpn.internal.keys.KeyDirection;

/** §4: building the options string and comparing the peer's. */
class OccStringTest {

    @Test
    void stockDefaultsGiveTheCapturedStrings() {
        assertEquals(ReferenceVectors.CAPTURE_OCC_CLIENT, OccStringBuilder.local(OccConfig.defaults(false)));
        assertEquals(ReferenceVectors.CAPTURE_OCC_SERVER, OccStringBuilder.local(OccConfig.defaults(true)));
        assertEquals(ReferenceVectors.CAPTURE_OCC_CLIENT, OccStringBuilder.expectedRemote(OccConfig.defaults(true)));
    }

    @Test
    void announcedAeadCipher() {
        assertEquals("V4,dev-type tun,link-mtu 1549,tun-mtu 1500,proto UDPv4,cipher AES-256-GCM,auth [null-digest],"
                + "keysize 256,key-method 2,tls-server",
                OccStringBuilder.local(OccConfig.defaults(true).withCipher(OccCipher.AES_256_GCM)));
    }

    @Test
    void cipherOutsideDataCiphersIsNotAnnounced() {
        String s = OccStringBuilder.local(OccConfig.defaults(false).withCipher(OccCipher.AES_256_CBC));
        assertEquals("V4,dev-type tun,link-mtu 1557,tun-mtu 1500,proto UDPv4,auth SHA1,keysize 256,key-method 2,"
                + "tls-client", s);
    }

    @Test
    void tcpTlsAuthAndKeyDirectionAreSwappedForTheRemoteVariant() {
        OccConfig c = OccConfig.defaults(true).withProto(OccProto.TCP_SERVER).withTlsAuth(KeyDirection.NORMAL);
        assertEquals("V4,dev-type tun,link-mtu 1543,tun-mtu 1500,proto TCPv4_SERVER,keydir 0,auth SHA1,keysize 128,"
                + "tls-auth,key-method 2,tls-server", OccStringBuilder.local(c));
        assertEquals("V4,dev-type tun,link-mtu 1543,tun-mtu 1500,proto TCPv4_CLIENT,keydir 1,auth SHA1,keysize 128,"
                + "tls-auth,key-method 2,tls-client", OccStringBuilder.expectedRemote(c));
    }

    @Test
    void p2pStringsCarryIfconfigMirroredAndAlwaysTheCipher() {
        // a 2.6 peer "--tls-client --ifconfig 10.9.0.2 10.9.0.1" without --cipher against us "ifconfig 10.9.0.1 10.9.0.2"
        OccConfig us = OccConfig.defaults(true).withCipher(OccCipher.BF_CBC);
        String ours = OccStringBuilder.p2pLocal(us, "10.9.0.1", "10.9.0.2");
        String peer = OccStringBuilder.p2pExpectedRemote(us, "10.9.0.1", "10.9.0.2");
        assertEquals("V4,dev-type tun,link-mtu 1541,tun-mtu 1500,proto UDPv4,ifconfig 10.9.0.2 10.9.0.1,cipher BF-CBC,"
                + "auth SHA1,keysize 128,key-method 2,tls-server", ours);
        assertEquals("V4,dev-type tun,link-mtu 1541,tun-mtu 1500,proto UDPv4,ifconfig 10.9.0.1 10.9.0.2,cipher BF-CBC,"
                + "auth SHA1,keysize 128,key-method 2,tls-client", peer);
        // the peer's own string (built as stock builds it on its side) is what we expect
        assertEquals(peer, OccStringBuilder.p2pLocal(OccConfig.defaults(false).withCipher(OccCipher.BF_CBC),
                "10.9.0.2", "10.9.0.1"));
    }

    @Test
    void p2pPeerWithAnotherTunMtuIsNamedInconsistent() {
        OccConfig us = OccConfig.defaults(true).withCipher(OccCipher.BF_CBC);
        String peer = OccStringBuilder.p2pLocal(OccConfig.defaults(false).withCipher(OccCipher.BF_CBC).withTunMtu(1400),
                "10.9.0.2", "10.9.0.1");
        List<String> warnings = OccComparator.compare(OccStringBuilder.p2pExpectedRemote(us, "10.9.0.1", "10.9.0.2"), peer)
                .stream().map(OccWarning::message).toList();
        assertEquals(List.of("WARNING: 'link-mtu' is used inconsistently, local='link-mtu 1541', remote='link-mtu 1441'",
                "WARNING: 'tun-mtu' is used inconsistently, local='tun-mtu 1500', remote='tun-mtu 1400'"), warnings);
    }

    @Test
    void compressionAndNoReplayItems() {
        String s = OccStringBuilder.local(OccConfig.defaults(false).withCompression(false).withReplay(false));
        assertEquals("V4,dev-type tun,link-mtu 1537,tun-mtu 1500,proto UDPv4,comp-lzo,auth SHA1,keysize 128,"
                + "no-replay,key-method 2,tls-client", s);
    }

    @Test
    void cipherNamesAreCaseInsensitive() {
        assertEquals(OccCipher.AES_256_GCM, OccCipher.ofName("aes-256-gcm"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> OccCipher.ofName("DES"));
    }

    @Test
    void equalStringsGiveNoWarnings() {
        assertEquals(List.of(), OccComparator.compare(ReferenceVectors.CAPTURE_OCC_CLIENT,
                ReferenceVectors.CAPTURE_OCC_CLIENT));
    }

    @Test
    void differencesAreWordedAsStockLogsThem() {
        String expected = ReferenceVectors.CAPTURE_OCC_CLIENT;
        String actual = expected.replace("link-mtu 1541", "link-mtu 1549").replace(",auth SHA1", "")
                + ",comp-lzo";
        List<String> messages = OccComparator.compare(expected, actual).stream().map(OccWarning::message).toList();
        assertEquals(List.of(
                "WARNING: 'link-mtu' is used inconsistently, local='link-mtu 1541', remote='link-mtu 1549'",
                "WARNING: 'auth' is present in local config but missing in remote config, local='auth SHA1'",
                "WARNING: 'comp-lzo' is present in remote config but missing in local config, remote='comp-lzo'"),
                messages);
    }

    @Test
    void itemsStockNoLongerWarnsAboutAreIgnored() {
        String expected = ReferenceVectors.CAPTURE_OCC_CLIENT;
        String actual = expected.replace("proto UDPv4", "proto TCPv4_CLIENT").replace("key-method 2", "key-method 3")
                .replace(",auth", ",cipher AES-256-GCM,keydir 1,tls-auth,tun-ipv6,auth");
        assertEquals(List.of(), OccComparator.compare(expected, actual));
    }

    @Test
    void versionSkewIsNotedAndComparedItemByItem() {
        String actual = ReferenceVectors.CAPTURE_OCC_CLIENT.replace("V4,", "V3,");
        List<OccWarning> w = OccComparator.compare(ReferenceVectors.CAPTURE_OCC_CLIENT, actual);
        assertEquals(OccWarning.Kind.VERSION_SKEW, w.get(0).kind());
        assertEquals("WARNING: 'version' is used inconsistently, local='version V4', remote='version V3'",
                w.get(1).message());
        assertEquals(2, w.size());
    }
}
