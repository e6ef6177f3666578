package org.tunnelbus.tls.jsse.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/** Offers the one certificate chain and key of a {@code TlsSpec} (or none), without a key store. */
final class SingleKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "tunnelbus";

    private final X509Certificate[] chain;
    private final PrivateKey key;

    SingleKeyManager(List<X509Certificate> chain, PrivateKey key) {
        this.chain = chain.toArray(X509Certificate[]::new);
        this.key = key;
    }

    private boolean matches(String keyType) {
        if (key == null || chain.length == 0 || keyType == null) {
            return false;
        }
        String alg = key.getAlgorithm();
        return alg.equalsIgnoreCase(keyType) || keyType.startsWith(alg + "_") // legacy "EC_EC", "RSA_EXPORT"...
                || alg.equalsIgnoreCase("EdDSA") && (keyType.equals("Ed25519") || keyType.equals("Ed448"));
    }

    private String choose(String[] keyTypes) {
        if (keyTypes != null) {
            for (String t : keyTypes) {
                if (matches(t)) {
                    return ALIAS;
                }
            }
        }
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return matches(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return choose(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return matches(keyType) ? ALIAS : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return matches(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return matches(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
