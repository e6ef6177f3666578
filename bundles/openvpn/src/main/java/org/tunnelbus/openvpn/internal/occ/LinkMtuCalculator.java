package org.tunnelbus.openvpn.internal.occ;

import org.tunnelbus.openvpn.internal.tlswrap.AuthDigest;

/**
 * The {@code link-mtu} value of the options string in TLS mode, computed like stock (§4, §8.1(e);
 * {@code mtu.c calc_options_string_link_mtu()}, {@code frame_calculate_payload_size()},
 * {@code frame_calculate_protocol_header_size()}; {@code crypto.c calculate_crypto_overhead()} with
 * {@code occ = true}). It is a legacy number: for AEAD ciphers it counts an IV and a block that the real
 * packet does not carry, because old peers computed it that way.
 *
 * <pre>
 * link-mtu = tun-mtu + payload overhead + protocol header
 * payload overhead = 1 (v1 compression framing) + 4 (--fragment) + [CBC: packet id 4]
 * protocol header  = 2 (TCP length) + 1 (opcode) + crypto overhead
 * crypto overhead  = AEAD: packet id 4 + tag 16 + IV + block
 *                    CBC:  block + IV + HMAC;  none: packet id 4 + HMAC
 * BF-CBC (the 2.6 default placeholder): computed as cipher none plus 8 + 8
 * </pre>
 * (The peer-id is not counted: stock computes the string before a peer-id exists.)
 */
public final class LinkMtuCalculator {
    private static final int PACKET_ID = 4;
    private static final int OPCODE = 1;
    private static final int TCP_LENGTH = 2;
    private static final int FRAGMENT_HEADER = 4;
    private static final int BF_CBC_OVERHEAD = 8 + 8;

    private LinkMtuCalculator() {
    }

    public static int linkMtu(OccConfig c) {
        int extra = 0;
        OccCipher cipher = c.cipher();
        if (cipher == OccCipher.BF_CBC) {
            // BF-CBC may be missing from the SSL library, so stock counts "none" plus its block and IV.
            extra = BF_CBC_OVERHEAD;
            cipher = OccCipher.NONE;
        }
        AuthDigest auth = cipher.mode() == OccCipher.Mode.AEAD ? AuthDigest.NONE : c.auth();
        int packetId = c.replay() ? PACKET_ID : 0;
        return c.tunMtu() + payloadOverhead(c, cipher, packetId) + extra
                + (c.proto().isTcp() ? TCP_LENGTH : 0) + OPCODE + cryptoOverhead(cipher, auth, packetId);
    }

    private static int payloadOverhead(OccConfig c, OccCipher cipher, int packetId) {
        int n = c.compression() && c.compressionV1() ? 1 : 0;
        n += c.fragment() ? FRAGMENT_HEADER : 0;
        // In CBC mode the packet id is inside the encrypted payload.
        return n + (cipher.mode() == OccCipher.Mode.CBC ? packetId : 0);
    }

    private static int cryptoOverhead(OccCipher cipher, AuthDigest auth, int packetId) {
        switch (cipher.mode()) {
            case AEAD:
                return packetId + OccCipher.TAG_LENGTH + cipher.ivLength() + cipher.blockLength();
            case CBC:
                return cipher.blockLength() + cipher.ivLength() + auth.length();
            default:
                return packetId + auth.length();
        }
    }
}
