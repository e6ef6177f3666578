package org.tunnelbus.runtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsolePasswordTest {

    /** The hashed form is checked by the web console's own Password class (5.0.18, on the test class path). */
    @Test
    void webConsoleAcceptsTheHashAndRejectsOthers() throws Exception {
        Class<?> type = Class.forName("org.apache.felix.webconsole.internal.servlet.Password");
        Constructor<?> ctor = type.getDeclaredConstructor(String.class);
        ctor.setAccessible(true);
        Method matches = type.getDeclaredMethod("matches", byte[].class);
        matches.setAccessible(true);

        String hashed = ConsolePassword.hash("s3cret-Pw", "0011223344556677", 1000);
        assertTrue(hashed.startsWith("{sha-256}0011223344556677-1000-"), hashed);
        Object pw = ctor.newInstance(hashed);
        assertEquals(Boolean.TRUE, matches.invoke(pw, (Object) "s3cret-Pw".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(Boolean.FALSE, matches.invoke(pw, (Object) "admin".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(Boolean.FALSE, matches.invoke(pw, (Object) "s3cret-Pw ".getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void generatedOnceWithMode0600ThenReused(@TempDir Path home) throws Exception {
        ConsolePassword first = ConsolePassword.loadOrCreate(home);
        assertTrue(first.generated());
        assertEquals(24, first.password().length());
        Path file = home.resolve("console.password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(first.password() + "\n", Files.readString(file));

        ConsolePassword second = ConsolePassword.loadOrCreate(home);
        assertFalse(second.generated());
        assertEquals(first.password(), second.password());
        assertFalse(second.readableByOthers());
        assertNotEquals(first.hashed(), second.hashed(), "a fresh salt every start");
    }

    @Test
    void anEmptyFileIsAnError(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("console.password"), "\n");
        LauncherException e = org.junit.jupiter.api.Assertions.assertThrows(LauncherException.class,
                () -> ConsolePassword.loadOrCreate(home));
        assertTrue(e.getMessage().contains("delete it"), e.getMessage());
    }
}
