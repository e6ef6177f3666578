package org.tunnelbus.openvpn.internal.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;
import org.tunnelbus.openvpn.internal.wire.SessionId;

import static org.tunnelbus.openvpn.internal.ReferenceVectors.*;

/** §8.3: the live PRF key-expansion vector of a stock 2.6.14 client. */
class PrfKeyExpansionTest {
    private final KeySource client = new KeySource(Hex.bytes(LIVE_PRE_MASTER), Hex.bytes(LIVE_CLIENT_RANDOM1),
            Hex.bytes(LIVE_CLIENT_RANDOM2));
    private final KeySource server = new KeySource(null, Hex.bytes(LIVE_SERVER_RANDOM1), Hex.bytes(LIVE_SERVER_RANDOM2));
    private final long clientSid = SessionId.fromHex(LIVE_CLIENT_SID);
    private final long serverSid = SessionId.fromHex(LIVE_SERVER_SID);

    @Test
    void masterSecret() {
        assertEquals(LIVE_MASTER, Hex.of(PrfKeyExpansion.masterSecret(client, server)));
    }

    @Test
    void keyBlockSlices() {
        Key2 key2 = PrfKeyExpansion.expand(Hex.bytes(LIVE_MASTER), client, server, clientSid, serverSid);
        assertEquals(LIVE_KEYS0_CIPHER, Hex.of(key2.cipher(0, 32)));
        assertEquals(LIVE_KEYS0_HMAC8, Hex.of(key2.hmac(0, 8)));
        assertEquals(LIVE_KEYS1_CIPHER, Hex.of(key2.cipher(1, 32)));
        assertEquals(LIVE_KEYS1_HMAC8, Hex.of(key2.hmac(1, 8)));
    }

    @Test
    void deriveInOneStep() {
        Key2 key2 = PrfKeyExpansion.derive(client, server, clientSid, serverSid);
        assertEquals(LIVE_KEYS0_CIPHER, Hex.of(key2.cipher(0, 32)));
    }

    /** The seed carries the client's session id first; swapping them gives other keys. */
    @Test
    void sessionIdOrderMatters() {
        Key2 swapped = PrfKeyExpansion.derive(client, server, serverSid, clientSid);
        assertEquals(false, LIVE_KEYS0_CIPHER.equals(Hex.of(swapped.cipher(0, 32))));
    }

    /** §3.3: the client sends with keys[0] ("Master Encrypt"); the server with keys[1]. */
    @Test
    void dataKeysPerRole() {
        Key2 key2 = PrfKeyExpansion.derive(client, server, clientSid, serverSid);
        DataChannelKeys c = DataChannelKeys.forRole(key2, false, 32);
        DataChannelKeys s = DataChannelKeys.forRole(key2, true, 32);
        assertEquals(LIVE_KEYS0_CIPHER, Hex.of(c.encryptKey()));
        assertEquals(LIVE_KEYS0_HMAC8, Hex.of(c.encryptImplicitIv()));
        assertEquals(LIVE_KEYS1_CIPHER, Hex.of(c.decryptKey()));
        assertEquals(LIVE_KEYS1_HMAC8, Hex.of(c.decryptImplicitIv()));
        assertEquals(Hex.of(c.encryptKey()), Hex.of(s.decryptKey()));
        assertEquals(Hex.of(c.decryptImplicitIv()), Hex.of(s.encryptImplicitIv()));
        assertEquals(LIVE_KEYS0_CIPHER.substring(0, 32), Hex.of(DataChannelKeys.forRole(key2, false, 16).encryptKey()));
    }

    @Test
    void keySourcesCheckTheirSizes() {
        assertThrows(IllegalArgumentException.class, () -> new KeySource(new byte[47], new byte[32], new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> new KeySource(null, new byte[31], new byte[32]));
        assertThrows(IllegalStateException.class, server::preMaster);
        assertEquals("KeySource[server]", server.toString());
    }
}
