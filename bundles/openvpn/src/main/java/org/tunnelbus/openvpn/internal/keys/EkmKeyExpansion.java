package org.tunnelbus.openvpn.internal.keys;

import java.util.Arrays;

/**
 * Data keys by the TLS exporter when tls-ekm is negotiated (§3.3 method A;
 * {@code ssl.c generate_key_expansion_tls_export()}): the 256-byte key block is the exporter output for
 * {@value #DATA_KEYS_LABEL} with no context. (OpenSSL is called with {@code use_context = 0}: for TLS 1.2
 * "no context" is not the same as an empty context, which matters to the exporter implementation.)
 */
public final class EkmKeyExpansion {
    /** {@code ssl_backend.h EXPORT_KEY_DATA_LABEL}. */
    public static final String DATA_KEYS_LABEL = "EXPORTER-OpenVPN-datakeys";
    /** Dynamic tls-crypt for renegotiations (§2.8.3). */
    public static final String DYNAMIC_TLS_CRYPT_LABEL = "EXPORTER-OpenVPN-dynamic-tls-crypt";
    /** The P2P peer-id (3 bytes), when EKM and DATA_V2 are both negotiated. */
    public static final String P2P_PEER_ID_LABEL = "EXPORTER-OpenVPN-p2p-peerid";

    private EkmKeyExpansion() {
    }

    public static Key2 derive(KeyingMaterialExporter exporter) {
        byte[] block = exporter.export(DATA_KEYS_LABEL, Key2.LENGTH);
        try {
            return Key2.of(block);
        } finally {
            Arrays.fill(block, (byte) 0);
        }
    }
}
