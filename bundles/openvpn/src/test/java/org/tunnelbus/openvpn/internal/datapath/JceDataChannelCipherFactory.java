package org.tunnelbus.openvpn.internal.datapath;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import org.tunnelbus.api.crypto.DataChannelCipher;
import org.tunnelbus.api.crypto.DataChannelCipherFactory;

/**
 * Makes {@link JceDataChannelCipher}s: the fallback provider needing nothing but the JDK. The SSL modules
 * register their own factories; this one is not registered as a service here.
 */
public final class JceDataChannelCipherFactory implements DataChannelCipherFactory {
    private static final Set<String> CIPHERS = names();

    private static Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (AeadAlgorithm a : AeadAlgorithm.values()) {
            names.add(a.openVpnName());
        }
        return Collections.unmodifiableSet(names);
    }

    @Override
    public Set<String> ciphers() {
        return CIPHERS;
    }

    @Override
    public DataChannelCipher create(String cipher, byte[] key, byte[] implicitIv, boolean encrypt) {
        return new JceDataChannelCipher(AeadAlgorithm.ofName(cipher), key, implicitIv, encrypt);
    }
}
