package org.tunnelbus.api.tls;

/** Which end of the TLS handshake this engine plays; in OpenVPN the client is always the TLS client. */
public enum TlsRole {
    CLIENT, SERVER
}
