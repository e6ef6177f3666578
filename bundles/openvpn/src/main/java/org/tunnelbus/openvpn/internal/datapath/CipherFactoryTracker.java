package org.tunnelbus.openvpn.internal.datapath;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.tunnelbus.api.crypto.DataChannelCipherFactory;

/**
 * The {@link DataChannelCipherFactory} services a stage sees, kept as an immutable ranked snapshot that is
 * replaced (one volatile write) when one comes or goes. Cipher contexts remember the snapshot they were built
 * from, so a new or updated crypto module is picked up by rebuilding contexts from the session, without
 * restarting the stage.
 */
final class CipherFactoryTracker {
    private final List<Map.Entry<Map<String, Object>, DataChannelCipherFactory>> registered = new ArrayList<>();
    private volatile CipherFactories current = CipherFactories.NONE;

    synchronized void add(DataChannelCipherFactory factory, Map<String, Object> properties) {
        registered.add(new AbstractMap.SimpleImmutableEntry<>(Map.copyOf(properties), factory));
        current = CipherFactories.ranked(registered);
    }

    synchronized void remove(DataChannelCipherFactory factory) {
        registered.removeIf(e -> e.getValue() == factory);
        current = CipherFactories.ranked(registered);
    }

    /** Replaces everything (tests and embedding). */
    synchronized void set(CipherFactories factories) {
        registered.clear();
        current = factories;
    }

    CipherFactories current() {
        return current;
    }
}
