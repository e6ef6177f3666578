package org.tunnelbus.openvpn.internal.tlswrap;

import java.util.Locale;

/**
 * The {@code --auth} digests: the HMAC of tls-auth (§2.7, which always uses the {@code --auth} digest) and
 * the {@code auth} item of the options string (§4; {@code crypto_openssl.c md_kt_name()} prints
 * {@code none} as {@code [null-digest]}).
 */
public enum AuthDigest {
    NONE("none", null, 0),
    SHA1("SHA1", "HmacSHA1", 20),
    SHA256("SHA256", "HmacSHA256", 32),
    SHA512("SHA512", "HmacSHA512", 64);

    private final String openVpnName;
    private final String jceMac;
    private final int length;

    AuthDigest(String openVpnName, String jceMac, int length) {
        this.openVpnName = openVpnName;
        this.jceMac = jceMac;
        this.length = length;
    }

    /**
     * The digest named by a config value (case-insensitive, as OpenSSL matches names).
     *
     * @throws IllegalArgumentException for digests this implementation does not offer
     */
    public static AuthDigest ofName(String name) {
        String n = name.toUpperCase(Locale.ROOT).replace("-", "");
        for (AuthDigest d : values()) {
            if (d.openVpnName.toUpperCase(Locale.ROOT).equals(n)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unsupported --auth digest '" + name + "' (SHA1, SHA256, SHA512 or none)");
    }

    /** The name OpenVPN uses in config and in the options string. */
    public String openVpnName() {
        return openVpnName;
    }

    /** The name printed in the options string's {@code auth} item. */
    public String occName() {
        return this == NONE ? "[null-digest]" : openVpnName;
    }

    /** The JCE {@code Mac} algorithm; null for {@link #NONE}. */
    public String jceMac() {
        return jceMac;
    }

    /** Digest (and HMAC) length in bytes; 0 for {@link #NONE}. */
    public int length() {
        return length;
    }
}
