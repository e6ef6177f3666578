package org.tunnelbus.importer.internal;

import java.util.List;

/**
 * One option of an OpenVPN configuration file: its name (without a leading {@code --}), its arguments as
 * OpenVPN's tokenizer yields them, and the line it starts on. An inline block ({@code <ca>...</ca>}) is a
 * directive named by its tag whose {@link #inline()} text is the block's body.
 */
record Directive(int line, String name, List<String> args, String inline) {
    Directive {
        args = List.copyOf(args);
    }

    boolean isInline() {
        return inline != null;
    }

    /** The argument at {@code i}, or null when there are fewer. */
    String arg(int i) {
        return i < args.size() ? args.get(i) : null;
    }

    /** As the user wrote it, for the report. */
    String text() {
        if (isInline()) {
            return "<" + name + ">...</" + name + ">";
        }
        StringBuilder b = new StringBuilder(name);
        args.forEach(a -> b.append(' ').append(a.isEmpty() || a.matches(".*\\s.*") ? '"' + a + '"' : a));
        return b.toString();
    }
}
