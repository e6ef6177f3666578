package org.tunnelbus.api.handshake;

import java.util.Map;

/**
 * What a peer said about itself in key method 2.
 *
 * @param optionsString the options-consistency string ({@code V4,dev-type tun,...})
 * @param peerInfo      its {@code IV_*} variables
 * @param identity      its authenticated name
 */
public record PeerOptions(String optionsString, Map<String, String> peerInfo, String identity) {
    public PeerOptions {
        peerInfo = Map.copyOf(peerInfo);
    }
}
