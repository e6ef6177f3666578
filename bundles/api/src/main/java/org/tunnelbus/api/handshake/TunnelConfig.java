package org.tunnelbus.api.handshake;

import java.util.List;

import org.tunnelbus.api.route.Prefix;
import org.tunnelbus.api.session.SessionKey;

/**
 * What the configuration handshake settled for a session: the peer's tunnel address, the data cipher,
 * keepalive and the options that were pushed. Kept in the session under {@link #KEY}, so it outlives the
 * module that negotiated it.
 *
 * @param address     the peer's tunnel address with the tunnel's prefix length (e.g. 10.8.0.2/24), or null
 * @param gateway     the server's tunnel address (route-gateway), or null
 * @param topology    {@code subnet}, {@code net30} or {@code p2p}
 * @param cipher      the data-channel cipher, e.g. {@code AES-256-GCM}
 * @param ping        seconds of send silence before a keepalive ping, 0 for none
 * @param pingRestart seconds of receive silence before the session is dropped, 0 for never
 * @param routes      networks routed through the tunnel to the server
 * @param options     every option as sent or received (without {@code PUSH_REPLY})
 */
public record TunnelConfig(String address, String gateway, String topology, String cipher, int ping,
        int pingRestart, List<Prefix> routes, List<String> options) {
    /** The session key under which the handshake stores this record. */
    public static final SessionKey<TunnelConfig> KEY = SessionKey.of("tunnel-config", TunnelConfig.class);

    public TunnelConfig {
        routes = List.copyOf(routes);
        options = List.copyOf(options);
    }
}
