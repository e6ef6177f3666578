package org.tunnelbus.auth.userpass.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class UsersTest {
    @Test
    void readsNamesAndHashesAndSkipsComments() throws Exception {
        Users u = Users.parse(List.of("# users of the VPN", "", "alice:" + PasswordHashTest.ARGON2_REFERENCE,
                "  bob.smith@example.org:" + PasswordHashTest.BCRYPT_2B + "  ", "   # indented comment"));
        assertEquals(2, u.size());
        assertNotNull(u.get("alice"));
        assertNotNull(u.get("bob.smith@example.org"));
        assertNull(u.get("carol"));
    }

    @Test
    void errorsNameTheLineAndNeverTheHash() {
        UserFileException e = assertThrows(UserFileException.class,
                () -> Users.parse(List.of("# x", "alice:" + PasswordHashTest.ARGON2_REFERENCE, "bob:$2y$nonsense")));
        assertTrue(e.getMessage().startsWith("line 3: user 'bob': malformed bcrypt"), e.getMessage());
        assertTrue(!e.getMessage().contains("nonsense"), e.getMessage());
        assertTrue(assertThrows(UserFileException.class, () -> Users.parse(List.of("alice")))
                .getMessage().startsWith("line 1: expected NAME:HASH"));
        assertTrue(assertThrows(UserFileException.class, () -> Users.parse(List.of("al ice:" + PasswordHashTest.BCRYPT_2B)))
                .getMessage().startsWith("line 1: bad user name"));
        assertTrue(assertThrows(UserFileException.class, () -> Users.parse(List.of(":" + PasswordHashTest.BCRYPT_2B)))
                .getMessage().startsWith("line 1: bad user name"));
        assertTrue(assertThrows(UserFileException.class, () -> Users.parse(List.of("a:" + PasswordHashTest.BCRYPT_2B,
                "a:" + PasswordHashTest.BCRYPT_2A))).getMessage().startsWith("line 2: user 'a' is listed twice"));
    }
}
