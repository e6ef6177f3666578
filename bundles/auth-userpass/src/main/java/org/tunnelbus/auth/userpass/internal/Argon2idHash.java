package org.tunnelbus.auth.userpass.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * An argon2id hash in the PHC string format of the reference implementation
 * ({@code $argon2id$v=19$m=KIB,t=PASSES,p=LANES$SALT$HASH}, base64 without padding), computed with Bouncy
 * Castle's {@link Argon2BytesGenerator}.
 *
 * <p>New hashes use OWASP's recommended minimum m=19 MiB, t=2, p=1: a server checks passwords on its
 * control thread, so one check must stay in the tens of milliseconds while still costing an attacker
 * 19 MiB per guess. Stored hashes may use other parameters within sane limits (a hash asking for
 * gigabytes would stall the server).
 */
record Argon2idHash(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) implements PasswordHash {
    static final int DEFAULT_MEMORY_KIB = 19_456;
    static final int DEFAULT_ITERATIONS = 2;
    static final int DEFAULT_PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int MAX_MEMORY_KIB = 1 << 20; // 1 GiB
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_PARALLELISM = 16;
    private static final Pattern FORMAT = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{16,})");

    /** A new hash of {@code password} with the default parameters and a fresh random salt. */
    static Argon2idHash create(char[] password, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = compute(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM, salt, password, HASH_BYTES);
        return new Argon2idHash(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM, salt, hash);
    }

    static Argon2idHash parse(String encoded) {
        if (encoded.startsWith("$argon2id$v=16$") || encoded.startsWith("$argon2id$m=")) {
            throw new IllegalArgumentException("argon2 version 1.0 (v=16) is not supported; use v=19");
        }
        Matcher m = FORMAT.matcher(encoded);
        if (!m.matches()) {
            throw new IllegalArgumentException("malformed argon2id hash (expected $argon2id$v=19$m=KIB,t=N,p=N$SALT$HASH)");
        }
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int parallelism = Integer.parseInt(m.group(3));
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("argon2id p=" + parallelism + " is outside 1-" + MAX_PARALLELISM);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("argon2id t=" + iterations + " is outside 1-" + MAX_ITERATIONS);
        }
        if (memory < 8 * parallelism || memory > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("argon2id m=" + memory + " is outside " + 8 * parallelism + "-"
                    + MAX_MEMORY_KIB + " KiB");
        }
        byte[] salt = decode(m.group(4), "salt");
        byte[] hash = decode(m.group(5), "hash");
        if (salt.length < 8 || hash.length < 16 || hash.length > 64) {
            throw new IllegalArgumentException("argon2id salt must have at least 8 bytes and the hash 16-64");
        }
        return new Argon2idHash(memory, iterations, parallelism, salt, hash);
    }

    private static byte[] decode(String base64, String what) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("argon2id " + what + " is not valid base64");
        }
    }

    @Override
    public boolean matches(char[] password) {
        byte[] computed = compute(memoryKib, iterations, parallelism, salt, password, hash.length);
        try {
            return MessageDigest.isEqual(computed, hash); // constant time
        } finally {
            Arrays.fill(computed, (byte) 0);
        }
    }

    private static byte[] compute(int memoryKib, int iterations, int parallelism, byte[] salt, char[] password,
            int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(parallelism)
                .withSalt(salt).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] secret = utf8(password);
        byte[] out = new byte[length];
        try {
            generator.generateBytes(secret, out);
        } finally {
            Arrays.fill(secret, (byte) 0);
            parameters.clear();
        }
        return out;
    }

    /** UTF-8 bytes of a password without an intermediate String (which could not be wiped). */
    static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    @Override
    public String encoded() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    @Override
    public String toString() { // the hash is not secret like a password, but has no place in logs either
        return "argon2id m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Argon2idHash h && h.encoded().equals(encoded());
    }

    @Override
    public int hashCode() {
        return encoded().hashCode();
    }
}
