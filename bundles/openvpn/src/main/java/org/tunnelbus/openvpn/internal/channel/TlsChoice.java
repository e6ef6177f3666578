package org.tunnelbus.openvpn.internal.channel;

import org.tunnelbus.api.tls.TlsEngineFactory;

/** A TLS provider chosen for a key state: its {@code tunnelbus.tls.provider} name and factory. */
public record TlsChoice(String provider, TlsEngineFactory factory) {
}
