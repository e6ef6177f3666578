package org.tunnelbus.api.handshake;

import java.util.List;
import java.util.Map;

import org.tunnelbus.api.session.SessionKey;

/**
 * What a peer said about itself in key method 2.
 *
 * @param optionsString the options-consistency string ({@code V4,dev-type tun,...})
 * @param peerInfo      its {@code IV_*} variables
 * @param identity      its authenticated name
 * @param mismatches    how its options string differs from the one we expect from a peer configured like us,
 *                      found by the protocol module (which owns the string's format); empty if alike
 */
public record PeerOptions(String optionsString, Map<String, String> peerInfo, String identity,
        List<OptionMismatch> mismatches) {
    /**
     * The session key under which the configuration handshake keeps what the peer said (its {@code IV_*}
     * variables for status pages and management's {@code >CLIENT:ENV} lines).
     *
     * @since 0.4.0
     */
    public static final SessionKey<PeerOptions> KEY = SessionKey.of("peer-options", PeerOptions.class);

    public PeerOptions {
        peerInfo = Map.copyOf(peerInfo);
        mismatches = List.copyOf(mismatches);
    }

    /** A peer whose options string was not compared (push model). */
    public PeerOptions(String optionsString, Map<String, String> peerInfo, String identity) {
        this(optionsString, peerInfo, identity, List.of());
    }
}
