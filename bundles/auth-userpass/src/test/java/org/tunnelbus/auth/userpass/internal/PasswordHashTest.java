package org.tunnelbus.auth.userpass.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

/**
 * Known answers: argon2id strings made by the reference implementation (the first is the vector of its
 * test.c; the others by argon2-cffi, which binds the reference C code), bcrypt strings made by pyca/bcrypt
 * (OpenBSD's C code); {@code $2y$} is the same hash under PHP's prefix.
 */
class PasswordHashTest {
    static final String ARGON2_REFERENCE = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    static final String ARGON2_DEFAULTS = "$argon2id$v=19$m=19456,t=2,p=1$dHVubmVsYnVzLXNhbHQxNg$tf8My/bbvPdJ7/jAFQbtmRlRPsBhNEWjSDnaFDnZZGo";
    static final String ARGON2_UTF8_P2 = "$argon2id$v=19$m=4096,t=3,p=2$MDEyMzQ1Njc4OWFiY2RlZg$OoYN4UbeqJ/F2hhKNB03D/f7jJA6o6QNW4H7kzyPxV0";
    static final String BCRYPT_2B = "$2b$04$qX/hcSB1P4CeHdL2WEyq0eWflbKrj3ERA9Fs9fto1I/dLF9V4NUZ6";
    static final String BCRYPT_2A = "$2a$04$4wsylk5dJIRjShAlf8r6Buql.aywwAxjf97HWz9SZj5yBg2FtOvri";
    static final String BCRYPT_2B_UTF8 = "$2b$04$h//AVwBfgbeQ4PkMhQdWCOULTyPVRehezcpY75An6jAnuXkFM2oIm";

    @Test
    void argon2idReferenceVectors() {
        assertTrue(PasswordHash.parse(ARGON2_REFERENCE).matches("password".toCharArray()));
        assertFalse(PasswordHash.parse(ARGON2_REFERENCE).matches("Password".toCharArray()));
        assertTrue(PasswordHash.parse(ARGON2_DEFAULTS).matches("correct horse".toCharArray()));
        assertTrue(PasswordHash.parse(ARGON2_UTF8_P2).matches("pässwörd".toCharArray()));
        assertFalse(PasswordHash.parse(ARGON2_UTF8_P2).matches("passwort".toCharArray()));
    }

    @Test
    void argon2idStringRoundTrips() {
        assertEquals(ARGON2_REFERENCE, PasswordHash.parse(ARGON2_REFERENCE).encoded());
    }

    @Test
    void bcryptVectorsUnderEveryPrefix() {
        assertTrue(PasswordHash.parse(BCRYPT_2B).matches("correct horse".toCharArray()));
        assertTrue(PasswordHash.parse(BCRYPT_2A).matches("correct horse".toCharArray()));
        assertTrue(PasswordHash.parse("$2y$" + BCRYPT_2B.substring(4)).matches("correct horse".toCharArray()));
        assertTrue(PasswordHash.parse(BCRYPT_2B_UTF8).matches("pässwörd".toCharArray()));
        assertFalse(PasswordHash.parse(BCRYPT_2B).matches("correct horsf".toCharArray()));
        assertInstanceOf(BcryptHash.class, PasswordHash.parse(BCRYPT_2A));
    }

    @Test
    void newHashesAreArgon2idWithTheDefaultsAndAFreshSalt() {
        char[] pw = "s3cret pass".toCharArray();
        Argon2idHash a = Argon2idHash.create(pw, new SecureRandom());
        Argon2idHash b = Argon2idHash.create(pw, new SecureRandom());
        assertTrue(a.encoded().startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), a.encoded());
        assertFalse(a.encoded().equals(b.encoded()), "salts differ");
        PasswordHash parsed = PasswordHash.parse(a.encoded());
        assertTrue(parsed.matches(pw));
        assertFalse(parsed.matches("s3cret pasS".toCharArray()));
    }

    @Test
    void malformedOrUnsupportedHashesAreRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("plaintext"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("$1$abc$def"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PasswordHash.parse("$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"))
                .getMessage().contains("only argon2id"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(ARGON2_REFERENCE.replace("v=19", "v=16")));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PasswordHash.parse(ARGON2_REFERENCE.replace("m=65536", "m=99999999"))).getMessage().contains("m="));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(ARGON2_REFERENCE.replace("p=1", "p=0")));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(BCRYPT_2B.substring(0, 40)));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(BCRYPT_2B.replace("$04$", "$03$")));
    }
}
