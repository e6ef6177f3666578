package org.tunnelbus.auth.userpass.internal;

import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A bcrypt hash ({@code $2y$}, {@code $2a$}, {@code $2b$}: the same algorithm for passwords without the old
 * sign-extension bug), as htpasswd, PHP and most user databases write it. Verified by Bouncy Castle's
 * {@link OpenBSDBCrypt}; never created here (new hashes are argon2id).
 */
record BcryptHash(String encoded) implements PasswordHash {
    /** {@code $2y$NN$} + 22 characters of salt + 31 of hash, in bcrypt's own base64 alphabet. */
    private static final Pattern FORMAT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    static BcryptHash parse(String encoded) {
        if (!FORMAT.matcher(encoded).matches()) {
            throw new IllegalArgumentException("malformed bcrypt hash (expected $2y$COST$ with cost 04-31 and 53 "
                    + "characters of salt and hash)");
        }
        return new BcryptHash(encoded);
    }

    @Override
    public boolean matches(char[] password) {
        return OpenBSDBCrypt.checkPassword(encoded, password);
    }

    @Override
    public String toString() {
        return "bcrypt cost " + encoded.substring(4, 6);
    }
}
