package org.tunnelbus.importer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class OvpnParserTest {
    private final OvpnParser parser = new OvpnParser("test.conf");

    private List<String> tokens(String line) throws ConfigSyntaxException {
        return parser.tokenize(line, 1);
    }

    @Test
    void whitespaceSeparatesAndCommentsStartWhereATokenWould() throws Exception {
        assertEquals(List.of("key", "server.key"), tokens("key server.key  # This file should be kept secret"));
        assertEquals(List.of(), tokens("   ; push \"route 10.0.0.0 255.0.0.0\""));
        assertEquals(List.of(), tokens("# comment"));
        assertEquals(List.of("status", "a#b;c"), tokens("status a#b;c"), "# inside a token is literal");
        assertEquals(List.of("port", "1194"), tokens("\tport\t1194 ;comment"));
    }

    @Test
    void quotesGroupAndBackslashesEscape() throws Exception {
        assertEquals(List.of("push", "route 10.0.0.0 255.0.0.0"), tokens("push \"route 10.0.0.0 255.0.0.0\""));
        assertEquals(List.of("x", "a \"b\" c"), tokens("x \"a \\\"b\\\" c\""));
        assertEquals(List.of("x", "c:\\dir\\f"), tokens("x c:\\\\dir\\\\f"));
        assertEquals(List.of("x", "two words"), tokens("x two\\ words"));
        assertEquals(List.of("x", "no \\escapes here"), tokens("x 'no \\escapes here'"));
        assertEquals(List.of("x", "# not a comment"), tokens("x \"# not a comment\""));
        assertEquals(List.of("x", ""), tokens("x \"\""));
    }

    @Test
    void syntaxErrorsNameTheLine() {
        ConfigSyntaxException e = assertThrows(ConfigSyntaxException.class,
                () -> parser.parse(List.of("port 1194", "push \"route 10.0.0.0")));
        assertEquals("test.conf:2: no closing quotation (\")", e.getMessage());
        e = assertThrows(ConfigSyntaxException.class, () -> parser.parse(List.of("", "", "ca c:\\dir\\ca.crt")));
        assertTrue(e.getMessage().startsWith("test.conf:3: bad backslash usage"), e.getMessage());
        e = assertThrows(ConfigSyntaxException.class, () -> parser.parse(List.of("x 'open")));
        assertTrue(e.getMessage().startsWith("test.conf:1: no closing single quotation"), e.getMessage());
    }

    @Test
    void inlineBlocksKeepTheirBodyAndLineNumbersCountThem() throws Exception {
        List<Directive> ds = parser.parse(List.of(
                "\uFEFF--port 1194",
                "<ca>",
                "-----BEGIN CERTIFICATE-----",
                "# not a comment inside a block",
                "-----END CERTIFICATE-----",
                "  </ca>",
                "",
                "dev tun"));
        assertEquals(3, ds.size());
        assertEquals(new Directive(1, "port", List.of("1194"), null), ds.get(0));
        Directive ca = ds.get(1);
        assertEquals(2, ca.line());
        assertEquals("ca", ca.name());
        assertEquals("-----BEGIN CERTIFICATE-----\n# not a comment inside a block\n-----END CERTIFICATE-----\n", ca.inline());
        assertEquals(new Directive(8, "dev", List.of("tun"), null), ds.get(2));
    }

    @Test
    void anUnclosedBlockIsAnError() {
        ConfigSyntaxException e = assertThrows(ConfigSyntaxException.class,
                () -> parser.parse(List.of("dev tun", "<tls-crypt>", "abc")));
        assertEquals("test.conf:2: inline block <tls-crypt> has no closing </tls-crypt>", e.getMessage());
    }
}
