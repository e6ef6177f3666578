package org.tunnelbus.importer.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an OpenVPN configuration file into {@link Directive}s with the rules of OpenVPN's own reader
 * ({@code parse_line} and {@code check_inline_file} in options_parse.c), so that a file means here what it
 * means to openvpn: whitespace separates arguments; {@code "..."} groups with backslash escapes, {@code '...'}
 * groups without; a backslash outside single quotes escapes a backslash, a double quote or a space and is an
 * error before anything else; {@code #} or {@code ;} where an argument would start begins a comment; a leading
 * {@code --} of the option name is dropped; a line holding only {@code <tag>} opens an inline block that runs to
 * the line starting (after spaces) with {@code </tag>}.
 */
final class OvpnParser {
    private final String file;

    OvpnParser(String file) {
        this.file = file;
    }

    List<Directive> parse(List<String> lines) throws ConfigSyntaxException {
        List<Directive> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = i == 0 ? stripBom(lines.get(i)) : lines.get(i);
            List<String> tokens = tokenize(line, i + 1);
            if (tokens.isEmpty()) {
                continue;
            }
            String name = dropDoubleDash(tokens.get(0));
            if (tokens.size() == 1 && isOpenTag(name)) {
                String tag = name.substring(1, name.length() - 1);
                int end = closingLine(lines, i + 1, tag);
                out.add(new Directive(i + 1, tag, List.of(), body(lines, i + 1, end)));
                i = end;
                continue;
            }
            out.add(new Directive(i + 1, name, tokens.subList(1, tokens.size()), null));
        }
        return out;
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    private static String dropDoubleDash(String name) {
        return name.length() >= 3 && name.startsWith("--") ? name.substring(2) : name;
    }

    private static boolean isOpenTag(String token) {
        return token.length() > 2 && token.startsWith("<") && token.endsWith(">") && !token.startsWith("</");
    }

    private int closingLine(List<String> lines, int from, String tag) throws ConfigSyntaxException {
        for (int j = from; j < lines.size(); j++) {
            if (lines.get(j).stripLeading().startsWith("</" + tag + ">")) {
                return j;
            }
        }
        throw new ConfigSyntaxException(file, from, "inline block <" + tag + "> has no closing </" + tag + ">");
    }

    private static String body(List<String> lines, int from, int end) {
        StringBuilder b = new StringBuilder();
        for (int j = from; j < end; j++) {
            b.append(lines.get(j)).append('\n');
        }
        return b.toString();
    }

    /** One line's arguments; empty for a blank or comment line. */
    List<String> tokenize(String line, int lineNo) throws ConfigSyntaxException {
        return new LineTokenizer(file, lineNo).tokens(line);
    }
}
