package org.tunnelbus.openvpn.internal.keys;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * One side's random contribution to the data keys, sent in its key-method-2 record (§3.1;
 * {@code ssl_common.h struct key_source}): the client adds a 48-byte pre-master secret, both sides add two
 * 32-byte randoms. {@link #toString()} never shows the bytes.
 */
public final class KeySource {
    public static final int PRE_MASTER_LENGTH = 48;
    public static final int RANDOM_LENGTH = 32;

    private final byte[] preMaster;
    private final byte[] random1;
    private final byte[] random2;

    /**
     * @param preMaster 48 bytes from the client, null for the server's source
     */
    public KeySource(byte[] preMaster, byte[] random1, byte[] random2) {
        check(random1, RANDOM_LENGTH, "random1");
        check(random2, RANDOM_LENGTH, "random2");
        if (preMaster != null) {
            check(preMaster, PRE_MASTER_LENGTH, "pre_master");
        }
        this.preMaster = preMaster == null ? null : preMaster.clone();
        this.random1 = random1.clone();
        this.random2 = random2.clone();
    }

    private static void check(byte[] b, int length, String name) {
        if (b.length != length) {
            throw new IllegalArgumentException(name + " must be " + length + " bytes, not " + b.length);
        }
    }

    /** Fresh randomness for one side; only the client sends a pre-master secret. */
    public static KeySource random(SecureRandom random, boolean client) {
        byte[] pre = client ? bytes(random, PRE_MASTER_LENGTH) : null;
        return new KeySource(pre, bytes(random, RANDOM_LENGTH), bytes(random, RANDOM_LENGTH));
    }

    private static byte[] bytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    public boolean hasPreMaster() {
        return preMaster != null;
    }

    public byte[] preMaster() {
        if (preMaster == null) {
            throw new IllegalStateException("a server key source has no pre_master");
        }
        return preMaster.clone();
    }

    public byte[] random1() {
        return random1.clone();
    }

    public byte[] random2() {
        return random2.clone();
    }

    /** Overwrites the bytes once the keys have been derived (stock does {@code secure_memzero(ks->key_src)}). */
    public void destroy() {
        if (preMaster != null) {
            Arrays.fill(preMaster, (byte) 0);
        }
        Arrays.fill(random1, (byte) 0);
        Arrays.fill(random2, (byte) 0);
    }

    @Override
    public String toString() {
        return preMaster == null ? "KeySource[server]" : "KeySource[client]";
    }
}
