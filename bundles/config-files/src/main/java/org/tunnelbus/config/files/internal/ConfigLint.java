package org.tunnelbus.config.files.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * What is wrong in a configuration file, line by line, before it silently does nothing: a line that is not
 * {@code key = value}, a property the PID does not have (a typo: the component would ignore it), a value that
 * names a module that is not installed ({@code tls.provider = wolfssl}). Each finding names the line and the
 * valid choices.
 */
final class ConfigLint {
    /** One finding: the line number (1-based) and what to tell the operator. */
    record Finding(int line, String message) {
    }

    private ConfigLint() {
    }

    /**
     * @param attributes the PID's properties from its metatype, or null when no installed module describes it
     * @param choices    for the properties that name a module: the names the installed modules register
     */
    static List<Finding> check(CfgFile file, Set<String> attributes, Map<String, Set<String>> choices,
            UnaryOperator<String> meaning) {
        List<Finding> out = new ArrayList<>();
        for (CfgFile.Entry e : file.entries()) {
            if (!e.readable()) {
                out.add(new Finding(e.line(), "cannot read '" + shorten(e.text()) + "': expected 'key = value'"));
            } else if (attributes != null && !attributes.contains(e.key())) {
                out.add(new Finding(e.line(), "unknown property '" + e.key() + "'" + suggestion(e.key(), attributes)
                        + " (valid: " + String.join(", ", new TreeSet<>(attributes)) + ")"));
            } else if (choices.containsKey(e.key())) {
                Set<String> valid = choices.get(e.key());
                for (String v : meaning.apply(e.raw()).split(",")) {
                    String name = v.strip();
                    if (!name.isEmpty() && !valid.contains(name)) {
                        out.add(new Finding(e.line(), "'" + e.key() + " = " + name + "' names no installed module (installed: "
                                + (valid.isEmpty() ? "none" : String.join(", ", new TreeSet<>(valid))) + ")"));
                    }
                }
            }
        }
        return out;
    }

    private static String suggestion(String key, Set<String> attributes) {
        return attributes.stream().min(Comparator.comparingInt(a -> distance(key, a)))
                .filter(a -> distance(key, a) <= Math.max(2, key.length() / 4))
                .map(a -> ", did you mean '" + a + "'?").orElse("");
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String shorten(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
