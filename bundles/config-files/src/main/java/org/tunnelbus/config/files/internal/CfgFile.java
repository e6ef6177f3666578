package org.tunnelbus.config.files.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A {@code .cfg} file of {@code HOME/config} as lines: what each logical line says ({@code key = value}, a
 * comment, or something unreadable) and how to change values so that the rest of the file — comments, order,
 * {@code ${...}} placeholders of unchanged values — stays as the operator wrote it.
 *
 * <p>Syntax as FileInstall reads it (Java properties): {@code key = value}, {@code key: value}; {@code #} or
 * {@code !} comments; a trailing backslash continues the line. A non-comment line without {@code =} or {@code :}
 * is reported as unreadable (Java properties would take {@code key value}, but in these files it is a typo).
 */
final class CfgFile {
    /** One logical line: its first physical line number (1-based), its key and raw value, or null key when unreadable. */
    record Entry(int line, int lastLine, String key, String raw, String text) {
        boolean readable() {
            return key != null;
        }
    }

    private final List<String> lines;
    private final List<Entry> entries;

    private CfgFile(List<String> lines, List<Entry> entries) {
        this.lines = lines;
        this.entries = entries;
    }

    static CfgFile parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            int first = i;
            String t = lines.get(i).strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) {
                i++;
                continue;
            }
            StringBuilder logical = new StringBuilder(t);
            while (endsWithContinuation(logical) && i + 1 < lines.size()) {
                logical.setLength(logical.length() - 1);
                logical.append(lines.get(++i).strip());
            }
            i++;
            entries.add(entry(first + 1, i, logical.toString()));
        }
        return new CfgFile(List.copyOf(lines), List.copyOf(entries));
    }

    private static boolean endsWithContinuation(CharSequence s) {
        int n = 0;
        for (int k = s.length() - 1; k >= 0 && s.charAt(k) == '\\'; k--) {
            n++;
        }
        return n % 2 == 1;
    }

    private static Entry entry(int line, int lastLine, String text) {
        int sep = separator(text);
        if (sep < 0) {
            return new Entry(line, lastLine, null, null, text);
        }
        String key = unescape(text.substring(0, sep).strip());
        return new Entry(line, lastLine, key, text.substring(sep + 1).strip(), text);
    }

    /** The first unescaped {@code =} or {@code :}, or -1. */
    private static int separator(String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\\') {
                k++;
            } else if (c == '=' || c == ':') {
                return k;
            }
        }
        return -1;
    }

    List<Entry> entries() {
        return entries;
    }

    /** Key to raw value, the last one winning as Java properties does. */
    Map<String, String> values() {
        Map<String, String> m = new LinkedHashMap<>();
        entries.stream().filter(Entry::readable).forEach(e -> m.put(e.key(), e.raw()));
        return m;
    }

    /**
     * The file's lines with {@code wanted} (key to plain value) applied: a line whose value means something else
     * ({@code meaning} turns a raw value into what Config Admin gets: placeholders resolved, FileInstall's typed
     * syntax read) is rewritten as {@code key = value}; keys not wanted any more lose their lines; new keys are
     * appended. Lines that already mean the wanted value stay untouched.
     */
    List<String> with(Map<String, String> wanted, UnaryOperator<String> meaning) {
        List<String> out = new ArrayList<>();
        Map<String, String> left = new LinkedHashMap<>(wanted);
        int next = 0;
        for (Entry e : entries) {
            out.addAll(lines.subList(next, e.line() - 1)); // comments and blank lines before it
            next = e.lastLine();
            if (!e.readable()) {
                out.addAll(lines.subList(e.line() - 1, e.lastLine()));
            } else if (left.containsKey(e.key())) {
                String value = left.remove(e.key());
                if (value.equals(meaning.apply(e.raw()))) {
                    out.addAll(lines.subList(e.line() - 1, e.lastLine()));
                } else {
                    out.add(line(e.key(), value));
                }
            } else if (!wanted.containsKey(e.key())) {
                continue; // removed
            }
        }
        out.addAll(lines.subList(next, lines.size()));
        left.forEach((k, v) -> out.add(line(k, v)));
        return out;
    }

    static String line(String key, String value) {
        return escape(key, true) + " = " + escape(value, false);
    }

    /** Java-properties escaping of what would otherwise change the meaning of a key or value. */
    static String escape(String s, boolean key) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '=', ':', '#', '!' -> b.append(key || k == 0 && (c == '#' || c == '!') ? "\\" + c : String.valueOf(c));
                case ' ' -> b.append(key || k == 0 ? "\\ " : " ");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\\' && k + 1 < s.length()) {
                char n = s.charAt(++k);
                b.append(switch (n) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
