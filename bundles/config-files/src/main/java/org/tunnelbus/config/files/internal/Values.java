package org.tunnelbus.config.files.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Configuration values as the plain strings a {@code .cfg} file holds, both ways: what Config Admin has (typed
 * values from the web console, arrays) as the text to write, and what a line of the file means (placeholders
 * {@code ${name}} resolved as FileInstall does, and FileInstall's own typed syntax {@code I"5"},
 * {@code [ "a", "b" ]} read) — so that a file and a configuration can be compared value by value.
 */
final class Values {
    /** Properties that Config Admin and FileInstall keep themselves; never written to a file. */
    static final Set<String> BOOKKEEPING = Set.of("service.pid", "service.factoryPid", "service.bundleLocation",
            "felix.fileinstall.filename");
    private static final Pattern TYPED = Pattern.compile("^[TILFDXSCBbsilfdxc]?\"(.*)\"$", Pattern.DOTALL);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    private Values() {
    }

    /** The properties of a configuration as plain strings, without the bookkeeping ones. */
    static Map<String, String> plain(Dictionary<String, ?> properties) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            if (!BOOKKEEPING.contains(k)) {
                m.put(k, plain(properties.get(k)));
            }
        }
        return m;
    }

    /** One value: scalars as text, arrays and collections as their non-empty elements joined by commas. */
    static String plain(Object v) {
        if (v == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (v.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(v); i++) {
                parts.add(String.valueOf(Array.get(v, i)));
            }
        } else if (v instanceof Collection<?> c) {
            c.forEach(e -> parts.add(String.valueOf(e)));
        } else {
            return v.toString();
        }
        return String.join(",", parts.stream().filter(p -> !p.isEmpty()).toList());
    }

    /**
     * What a raw value of the file means: FileInstall's typed syntax read, else properties escapes undone and
     * {@code ${name}} replaced by {@code resolve} (a framework or system property; unknown ones stay).
     */
    static String meaning(String raw, UnaryOperator<String> resolve) {
        String r = raw.strip();
        if (r.startsWith("[") && r.endsWith("]")) {
            List<String> parts = new ArrayList<>();
            Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(r);
            while (m.find()) {
                if (!m.group(1).isEmpty()) {
                    parts.add(CfgFile.unescape(m.group(1)));
                }
            }
            return String.join(",", parts);
        }
        Matcher typed = TYPED.matcher(r);
        if (typed.matches()) {
            return CfgFile.unescape(typed.group(1));
        }
        String text = CfgFile.unescape(r);
        Matcher p = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (p.find()) {
            String v = resolve.apply(p.group(1));
            p.appendReplacement(out, Matcher.quoteReplacement(v == null ? p.group() : v));
        }
        p.appendTail(out);
        return out.toString();
    }
}
