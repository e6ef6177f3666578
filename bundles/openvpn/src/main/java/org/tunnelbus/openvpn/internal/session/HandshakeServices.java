package org.tunnelbus.openvpn.internal.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.tunnelbus.api.handshake.ConfigHandshake;

/**
 * The running configuration handshakes by their {@code tunnelbus.handshake.mode}, so each listener and client
 * connection uses the one its {@code handshake.mode} names. One property per listener instead of a DS target filter: a target would need
 * a second property ({@code ConfigHandshake.target}) that must agree with the mode the control session runs.
 */
public final class HandshakeServices {
    private final Map<String, ConfigHandshake> byMode = new ConcurrentHashMap<>();

    public void bind(ConfigHandshake handshake, Map<String, ?> properties) {
        byMode.put(mode(properties), handshake);
    }

    public void unbind(ConfigHandshake handshake, Map<String, ?> properties) {
        byMode.remove(mode(properties), handshake);
    }

    /** The handshake of {@code mode}, or null if none runs. */
    public ConfigHandshake get(String mode) {
        return byMode.get(mode);
    }

    private static String mode(Map<String, ?> properties) {
        Object mode = properties.get(ConfigHandshake.MODE);
        return mode == null ? "" : mode.toString();
    }
}
