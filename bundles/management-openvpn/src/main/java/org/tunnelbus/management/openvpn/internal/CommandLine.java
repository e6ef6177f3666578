package org.tunnelbus.management.openvpn.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a management command line as stock OpenVPN's configuration lexer does (management-notes.txt, "Command
 * Parsing"): whitespace separates parameters; double or single quotes enclose a parameter with whitespace; outside
 * single quotes a backslash escapes the next character ({@code \\}, {@code \"}, {@code \ }).
 */
final class CommandLine {
    private CommandLine() {
    }

    /** The parameters of {@code line}; an unterminated quote ends at the end of the line. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && quote != '\'' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                inToken = true;
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
            } else {
                cur.append(c);
                inToken = true;
            }
        }
        if (inToken) {
            out.add(cur.toString());
        }
        return out;
    }
}
