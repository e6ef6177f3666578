package org.tunnelbus.openvpn.internal.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;
import org.tunnelbus.openvpn.internal.ReferenceVectors;

class StaticKeyFileTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    /** First start: a missing key file is created once, 0600, parseable; an existing one is never replaced. */
    @Test
    void createIfMissingMakesOneKeyAndKeepsIt() throws Exception {
        java.nio.file.Path f = tmp.resolve("pki/tls-crypt.key");
        assertTrue(StaticKeyFile.createIfMissing(f, new SecureRandom()));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(f)));
        String first = java.nio.file.Files.readString(f);
        StaticKeyFile.parse(first);
        assertFalse(StaticKeyFile.createIfMissing(f, new SecureRandom()));
        assertEquals(first, java.nio.file.Files.readString(f));
        try (var ds = java.nio.file.Files.list(f.getParent())) {
            assertEquals(1, ds.count(), "temporary files left");
        }
    }

    /** §8.1(b): the inline {@code <tls-auth>} block of test_pkt.c. */
    @Test
    void parsesInlineBlock() throws Exception {
        Key2 key = StaticKeyFile.parse(ReferenceVectors.TEST_PKT_STATIC_KEY);
        assertArrayEquals(Hex.bytes(ReferenceVectors.TEST_PKT_STATIC_KEY_HEX), key.toByteArray());
    }

    /** §8.2: the captured key; the halves the stock client logged (§2.8.2). */
    @Test
    void parsesCapturedKeyAndSplitsItsHalves() throws Exception {
        Key2 key = StaticKeyFile.parse(ReferenceVectors.CAPTURE_TLS_CRYPT_KEY);
        assertEquals("b125b983", Hex.of(key.cipher(1, 4)));
        assertEquals("673d13f6", Hex.of(key.hmac(1, 4)));
        assertEquals("36571a65", Hex.of(key.cipher(0, 4)));
        assertEquals("0da71b67", Hex.of(key.hmac(0, 4)));
    }

    @Test
    void ignoresCommentsAndCarriageReturns() throws Exception {
        String text = "#\n# 2048 bit OpenVPN static key\n#\n" + ReferenceVectors.CAPTURE_TLS_CRYPT_KEY;
        Key2 a = StaticKeyFile.parse(text.replace("\n", "\r\n"));
        Key2 b = StaticKeyFile.parse(ReferenceVectors.CAPTURE_TLS_CRYPT_KEY);
        assertArrayEquals(b.toByteArray(), a.toByteArray());
    }

    @Test
    void formatsInStockLayoutAndParsesBack() throws Exception {
        Key2 key = StaticKeyFile.generate(new SecureRandom());
        String text = StaticKeyFile.format(key);
        assertTrue(text.startsWith("#\n# 2048 bit OpenVPN static key\n#\n" + StaticKeyFile.HEADER + "\n"));
        assertTrue(text.endsWith(StaticKeyFile.FOOTER + "\n"));
        String[] lines = text.split("\n");
        assertEquals(3 + 1 + 16 + 1, lines.length);
        for (int i = 4; i < 20; i++) {
            assertTrue(lines[i].matches("[0-9a-f]{32}"), lines[i]);
        }
        assertArrayEquals(key.toByteArray(), StaticKeyFile.parse(text).toByteArray());
    }

    @Test
    void formatReproducesTheCapturedKeyText() throws Exception {
        Key2 key = StaticKeyFile.parse(ReferenceVectors.CAPTURE_TLS_CRYPT_KEY);
        assertTrue(StaticKeyFile.format(key).endsWith(ReferenceVectors.CAPTURE_TLS_CRYPT_KEY));
    }

    @Test
    void generatedKeysDiffer() {
        SecureRandom r = new SecureRandom();
        assertFalse(java.util.Arrays.equals(StaticKeyFile.generate(r).toByteArray(),
                StaticKeyFile.generate(r).toByteArray()));
    }

    @Test
    void refusesMalformedInputWithAClearMessage() {
        String key = ReferenceVectors.CAPTURE_TLS_CRYPT_KEY;
        assertMessage("header", () -> StaticKeyFile.parse("no key here"));
        assertMessage("footer", () -> StaticKeyFile.parse(key.replace(StaticKeyFile.FOOTER, "")));
        assertMessage("non-hex character 'x' at line 3", () -> StaticKeyFile.parse(key.replace("ce4a", "cx4a")));
        assertMessage("found 128 bytes", () -> StaticKeyFile.parse(firstLines(key, 9) + StaticKeyFile.FOOTER));
        assertMessage("found 255.5 bytes", () -> StaticKeyFile.parse(key.replace("6d983694202099fddacf5e1b56b37eed",
                "6d983694202099fddacf5e1b56b37ee")));
        assertMessage("more than 256", () -> StaticKeyFile.parse(key.replace("6d983694202099fddacf5e1b56b37eed",
                "6d983694202099fddacf5e1b56b37eed00")));
        assertMessage("expected '" + StaticKeyFile.FOOTER + "'",
                () -> StaticKeyFile.parse(key.replace(StaticKeyFile.FOOTER, "-----END something-----")));
    }

    private static String firstLines(String text, int n) {
        String[] lines = text.split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(lines[i]).append('\n');
        }
        return sb.toString();
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable parse) {
        StaticKeyFormatException e = assertThrows(StaticKeyFormatException.class, parse);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
