package org.tunnelbus.importer.internal;

import java.util.ArrayList;
import java.util.List;

/** The state machine of OpenVPN's {@code parse_line} for one line (see {@link OvpnParser}). */
final class LineTokenizer {
    private enum State { INITIAL, UNQUOTED, QUOTED, SQUOTED }

    private final String file;
    private final int lineNo;
    private final List<String> tokens = new ArrayList<>();
    private final StringBuilder token = new StringBuilder();
    private State state = State.INITIAL;

    LineTokenizer(String file, int lineNo) {
        this.file = file;
        this.lineNo = lineNo;
    }

    List<String> tokens(String line) throws ConfigSyntaxException {
        boolean backslash = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!backslash && c == '\\' && state != State.SQUOTED) {
                backslash = true;
                continue;
            }
            if (state == State.INITIAL && (c == '#' || c == ';')) {
                return List.copyOf(tokens); // a comment, checked before escapes as OpenVPN does ("\#" too)
            }
            if (backslash && !(c == '\\' || c == '"' || Character.isWhitespace(c))) {
                throw error("bad backslash usage: only \\\\, \\\" and \\<space> are escapes (write a Windows path with \\\\)");
            }
            step(c, backslash);
            backslash = false;
        }
        return finish(backslash);
    }

    /** Consumes one character (comments are handled by the caller). */
    private void step(char c, boolean escaped) {
        switch (state) {
            case INITIAL -> {
                if (Character.isWhitespace(c)) {
                    return;
                }
                if (!escaped && c == '"') {
                    state = State.QUOTED;
                } else if (!escaped && c == '\'') {
                    state = State.SQUOTED;
                } else {
                    token.append(c);
                    state = State.UNQUOTED;
                }
            }
            case UNQUOTED -> {
                if (!escaped && Character.isWhitespace(c)) {
                    endToken();
                } else {
                    token.append(c);
                }
            }
            case QUOTED -> {
                if (!escaped && c == '"') {
                    endToken();
                } else {
                    token.append(c);
                }
            }
            case SQUOTED -> {
                if (c == '\'') {
                    endToken();
                } else {
                    token.append(c);
                }
            }
        }
    }

    private void endToken() {
        tokens.add(token.toString());
        token.setLength(0);
        state = State.INITIAL;
    }

    private List<String> finish(boolean backslash) throws ConfigSyntaxException {
        switch (state) {
            case QUOTED -> throw error("no closing quotation (\")");
            case SQUOTED -> throw error("no closing single quotation (')");
            case UNQUOTED -> endToken();
            default -> { }
        }
        if (backslash) {
            throw error("bad backslash usage at the end of the line");
        }
        return List.copyOf(tokens);
    }

    private ConfigSyntaxException error(String why) {
        return new ConfigSyntaxException(file, lineNo, why);
    }
}
