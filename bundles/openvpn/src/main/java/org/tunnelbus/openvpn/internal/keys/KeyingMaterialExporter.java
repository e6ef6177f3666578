package org.tunnelbus.openvpn.internal.keys;

/**
 * An RFC 5705 exporter with no context, as the TLS engine of a key state offers it
 * ({@code org.tunnelbus.api.tls.TlsEngine#exportKeyingMaterial}).
 */
@FunctionalInterface
public interface KeyingMaterialExporter {
    byte[] export(String label, int length);
}
