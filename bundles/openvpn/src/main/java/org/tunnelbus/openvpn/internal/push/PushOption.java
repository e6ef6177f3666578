package org.tunnelbus.openvpn.internal.push;

import java.util.ArrayList;
import java.util.List;

/**
 * One pushed option: a config-file line, its words separated by blanks (§5.2), e.g.
 * {@code route 10.0.0.0 255.0.0.0} as name {@code route} and two arguments. Double quotes group a word
 * with blanks in it, as {@code options.c parse_line()} allows.
 */
public record PushOption(String name, List<String> arguments) {
    public PushOption {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty option name");
        }
        arguments = List.copyOf(arguments);
    }

    public static PushOption of(String name, String... arguments) {
        return new PushOption(name, List.of(arguments));
    }

    /** Splits a line into words; null for a line with no words (or an unterminated quote). */
    public static PushOption parse(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                word = word == null ? new StringBuilder() : word;
            } else if (!quoted && (c == ' ' || c == '\t')) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = (word == null ? new StringBuilder() : word).append(c);
            }
        }
        if (quoted) {
            return null;
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words.isEmpty() ? null : new PushOption(words.get(0), words.subList(1, words.size()));
    }

    /** The argument at {@code index}, or null. */
    public String argument(int index) {
        return index < arguments.size() ? arguments.get(index) : null;
    }

    /** The line as sent: words joined by one blank (quoted if they contain one). */
    public String line() {
        StringBuilder sb = new StringBuilder(name);
        for (String a : arguments) {
            sb.append(' ').append(a.contains(" ") ? '"' + a + '"' : a);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return line();
    }
}
