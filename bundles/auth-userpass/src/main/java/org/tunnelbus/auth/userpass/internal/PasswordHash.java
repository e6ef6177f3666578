package org.tunnelbus.auth.userpass.internal;

/**
 * A stored password hash of the users file. Parsing validates the whole string, so a typo in the file is
 * reported (with its line) when the file is read, not when a user first connects.
 */
sealed interface PasswordHash permits Argon2idHash, BcryptHash {
    /** Whether {@code password} hashes to this; does not keep or change the array. */
    boolean matches(char[] password);

    /** The stored form, as written to the users file. */
    String encoded();

    /**
     * @throws IllegalArgumentException why the string is not a supported hash (never echoes the hash itself)
     */
    static PasswordHash parse(String encoded) {
        if (encoded.startsWith("$argon2id$")) {
            return Argon2idHash.parse(encoded);
        }
        if (encoded.startsWith("$2a$") || encoded.startsWith("$2b$") || encoded.startsWith("$2y$")) {
            return BcryptHash.parse(encoded);
        }
        if (encoded.startsWith("$argon2i$") || encoded.startsWith("$argon2d$")) {
            throw new IllegalArgumentException("only argon2id is supported, not " + encoded.substring(0, encoded.indexOf('$', 1) + 1));
        }
        throw new IllegalArgumentException("not a supported hash (argon2id '$argon2id$v=19$...' or bcrypt '$2y$', '$2a$', '$2b$')");
    }
}
