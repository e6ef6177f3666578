package org.tunnelbus.openvpn.internal.occ;

import org.tunnelbus.openvpn.internal.tlswrap.AuthDigest;

/**
 * Builds the options-consistency string that goes into the key-method-2 record (§4; {@code options.c
 * options_string()}) for a TLS client or server in client/server mode:
 *
 * <pre>
 * V4,dev-type tun,link-mtu N,tun-mtu N,proto P[,comp-lzo][,mtu-dynamic][,keydir D][,cipher C],auth A,
 * keysize N[,no-replay][,tls-auth],key-method 2,tls-client|tls-server
 * </pre>
 *
 * The remote variant is the string we expect from the peer: TCP ends, keydir and the TLS role swapped.
 * A peer-to-peer side (TLS without {@code --pull}/{@code --server}) adds {@code ifconfig} after {@code proto} and
 * always names its cipher ({@code p2p_nopull}); {@code tun-ipv6} and static-key mode are not produced.
 */
public final class OccStringBuilder {
    public static final String VERSION = "V4";

    private OccStringBuilder() {
    }

    /** Our own string. */
    public static String local(OccConfig c) {
        return build(c, false, null);
    }

    /** The string a correctly configured peer sends us. */
    public static String expectedRemote(OccConfig c) {
        return build(c, true, null);
    }

    /**
     * A peer-to-peer side's own string, with {@code --ifconfig local remote} on a tun device (net30/p2p topology).
     */
    public static String p2pLocal(OccConfig c, String local, String remote) {
        // tun.c ifconfig_options_string(): "remote local" in our own string
        return build(c, false, remote + " " + local);
    }

    /** The string a peer configured as our mirror image ({@code --ifconfig remote local}) sends us. */
    public static String p2pExpectedRemote(OccConfig c, String local, String remote) {
        // the peer's own string names its remote (our local) first
        return build(c, true, local + " " + remote);
    }

    /** @param ifconfig the {@code ifconfig} item's value of a peer-to-peer side, null in client/server mode */
    private static String build(OccConfig c, boolean remote, String ifconfig) {
        StringBuilder sb = new StringBuilder(VERSION)
                .append(",dev-type ").append(c.tap() ? "tap" : "tun")
                .append(",link-mtu ").append(LinkMtuCalculator.linkMtu(c))
                .append(",tun-mtu ").append(c.tunMtu())
                .append(",proto ").append(c.proto().occName(remote));
        if (ifconfig != null) {
            sb.append(",ifconfig ").append(ifconfig);
        }
        if (c.compression()) {
            sb.append(",comp-lzo"); // any compression context, stub included
        }
        if (c.fragment()) {
            sb.append(",mtu-dynamic");
        }
        String keydir = c.keyDirection().occValue(remote);
        if (keydir != null) {
            sb.append(",keydir ").append(keydir);
        }
        appendCrypto(sb, c, ifconfig != null);
        if (c.tlsAuth()) {
            sb.append(",tls-auth");
        }
        sb.append(",key-method 2");
        boolean server = c.tlsServer() != remote;
        return sb.append(server ? ",tls-server" : ",tls-client").toString();
    }

    private static void appendCrypto(StringBuilder sb, OccConfig c, boolean p2p) {
        OccCipher cipher = c.cipher();
        // The cipher is only announced if we would accept it (it is in data-ciphers); BF-CBC by default is not.
        // "none" never is: stock looks up its printed name "[null-cipher]" in the list. A p2p side always
        // announces it, as it has no push to settle it.
        if (cipher != OccCipher.NONE && (p2p || c.dataCiphers().contains(cipher.openVpnName()))) {
            sb.append(",cipher ").append(cipher.openVpnName());
        }
        AuthDigest auth = cipher.mode() == OccCipher.Mode.AEAD ? AuthDigest.NONE : c.auth();
        sb.append(",auth ").append(auth.occName());
        sb.append(",keysize ").append(cipher.keyBits());
        if (!c.replay()) {
            sb.append(",no-replay");
        }
    }
}
