package org.tunnelbus.openvpn.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PropertyReaderTest {
    @Test
    void listsComeFromArraysCollectionsOrCommasInOrder() {
        PropertyReader r = new PropertyReader(Map.of("a", new String[] {"x 1", " y ,z"}, "b", List.of("p", "q"),
                "c", "one, two,,three"));
        assertEquals(List.of("x 1", "y", "z"), r.strings("a"));
        assertEquals(List.of("p", "q"), r.strings("b"));
        assertEquals(List.of("one", "two", "three"), r.strings("c"));
        assertEquals(List.of(), r.strings("missing"));
    }

    @Test
    void everyBadValueIsAProblemNamingItsProperty() {
        PropertyReader r = new PropertyReader(Map.of("port", "x", "mtu", 70000, "n", new String[] {"5"}, "ca", "/nonexistent/ca"));
        assertEquals(1194, r.integer("port", 1194, 1, 65535));
        assertEquals(1500, r.integer("mtu", 1500, 576, 9000));
        assertEquals(5, r.integer("n", 0, 0, 10), "a one-element array, as the web console writes");
        r.file("ca", true, text -> text);
        r.file("cert", true, text -> text);
        assertFalse(r.ok());
        assertEquals(List.of("property 'port': 'x' is not a number", "property 'mtu': 70000 is outside 576..9000",
                "property 'ca': /nonexistent/ca does not exist (yet)", "property 'cert': is required (a file path)"),
                r.problems());
        assertEquals(1, r.missingFiles());
    }
}
