package org.tunnelbus.openvpn.internal.keys;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.tunnelbus.openvpn.internal.wire.SessionId;

/**
 * Data keys by the OpenVPN PRF, the default when tls-ekm is not negotiated (§3.3 method B;
 * {@code ssl.c generate_key_expansion_openvpn_prf()}, {@code openvpn_PRF()}):
 *
 * <pre>
 * master = PRF(client.pre_master, "OpenVPN master secret" || client.random1 || server.random1, 48)
 * key2   = PRF(master, "OpenVPN key expansion" || client.random2 || server.random2
 *                      || client session id || server session id, 256)
 * </pre>
 *
 * The labels have no trailing space and no NUL; the session ids are the control-channel ids of the TLS
 * client and the TLS server, in that order. (The draft differs here; the code wins, §10.)
 */
public final class PrfKeyExpansion {
    static final String MASTER_LABEL = "OpenVPN master secret";
    static final String EXPANSION_LABEL = "OpenVPN key expansion";
    public static final int MASTER_LENGTH = 48;

    private PrfKeyExpansion() {
    }

    /** The 48-byte master secret. */
    public static byte[] masterSecret(KeySource client, KeySource server) {
        byte[] seed = seed(MASTER_LABEL, client.random1(), server.random1(), null);
        byte[] preMaster = client.preMaster();
        try {
            return OpenVpnPrf.prf(preMaster, seed, MASTER_LENGTH);
        } finally {
            Arrays.fill(preMaster, (byte) 0);
        }
    }

    /** The 256-byte key block from the master secret. */
    public static Key2 expand(byte[] master, KeySource client, KeySource server, long clientSessionId,
                              long serverSessionId) {
        byte[] sids = new byte[2 * SessionId.LENGTH];
        System.arraycopy(SessionId.toBytes(clientSessionId), 0, sids, 0, SessionId.LENGTH);
        System.arraycopy(SessionId.toBytes(serverSessionId), 0, sids, SessionId.LENGTH, SessionId.LENGTH);
        byte[] seed = seed(EXPANSION_LABEL, client.random2(), server.random2(), sids);
        byte[] block = OpenVpnPrf.prf(master, seed, Key2.LENGTH);
        try {
            return Key2.of(block);
        } finally {
            Arrays.fill(block, (byte) 0);
        }
    }

    /** Master secret and expansion in one step; the master secret does not outlive the call. */
    public static Key2 derive(KeySource client, KeySource server, long clientSessionId, long serverSessionId) {
        byte[] master = masterSecret(client, server);
        try {
            return expand(master, client, server, clientSessionId, serverSessionId);
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    private static byte[] seed(String label, byte[] clientPart, byte[] serverPart, byte[] tail) {
        ByteArrayOutputStream seed = new ByteArrayOutputStream(128);
        seed.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        seed.writeBytes(clientPart);
        seed.writeBytes(serverPart);
        if (tail != null) {
            seed.writeBytes(tail);
        }
        return seed.toByteArray();
    }
}
