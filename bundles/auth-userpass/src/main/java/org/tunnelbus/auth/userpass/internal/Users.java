package org.tunnelbus.auth.userpass.internal;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The content of a users file: one {@code name:hash} per line; blank lines and lines starting with
 * {@code #} are comments. Parsed whole or refused with a {@link UserFileException} naming the line.
 */
record Users(Map<String, PasswordHash> byName) {
    /** What a stock client can send and a log line can show safely: no ':' (the separator), no spaces. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@+=-]{1,128}");

    Users {
        byName = Map.copyOf(byName);
    }

    static Users read(Path file) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8 text");
        }
        return parse(text.lines().toList());
    }

    static Users parse(List<String> lines) throws UserFileException {
        Map<String, PasswordHash> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new UserFileException(i + 1, "expected NAME:HASH");
            }
            String name = line.substring(0, colon);
            checkName(i + 1, name);
            if (users.containsKey(name)) {
                throw new UserFileException(i + 1, "user '" + name + "' is listed twice");
            }
            try {
                users.put(name, PasswordHash.parse(line.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw new UserFileException(i + 1, "user '" + name + "': " + e.getMessage());
            }
        }
        return new Users(users);
    }

    private static void checkName(int line, String name) throws UserFileException {
        if (!isValidName(name)) {
            throw new UserFileException(line, "bad user name (1-128 of A-Z a-z 0-9 . _ @ + = -)");
        }
    }

    static boolean isValidName(String name) {
        return NAME.matcher(name).matches();
    }

    PasswordHash get(String name) {
        return byName.get(name);
    }

    int size() {
        return byName.size();
    }
}
