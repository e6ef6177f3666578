package org.tunnelbus.auth.userpass.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes one user's line of a users file and writes the file atomically: a new file created with mode
 * 0600 from the start (never readable by others, not even for a moment), synced, then renamed over the old
 * one, so the running server sees either the old or the new file, never half of one. Comments and the
 * order of the other lines are kept.
 */
final class UserFileEditor {
    private static final String HEADER = "# Tunnelbus users (NAME:HASH), kept with 'tunnelbus user add|passwd|del'.\n"
            + "# Hashes: argon2id ($argon2id$v=19$...) or bcrypt ($2y$/$2a$/$2b$). Re-read by the server on change.";

    private final Path file;
    private final List<String> lines;

    private UserFileEditor(Path file, List<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    /**
     * Reads the file (or starts a new one); refuses a file the server could not use either.
     *
     * @throws IOException naming the line, for a broken file
     */
    static UserFileEditor open(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new UserFileEditor(file, new ArrayList<>(HEADER.lines().toList()));
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        Users.parse(lines);
        return new UserFileEditor(file, lines);
    }

    boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    /** Replaces the user's line, or appends one. */
    void put(String name, PasswordHash hash) {
        String line = name + ":" + hash.encoded();
        int i = indexOf(name);
        if (i >= 0) {
            lines.set(i, line);
        } else {
            lines.add(line);
        }
    }

    void remove(String name) {
        int i = indexOf(name);
        if (i >= 0) {
            lines.remove(i);
        }
    }

    private int indexOf(String name) {
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (!l.startsWith("#") && l.startsWith(name + ":")) {
                return i;
            }
        }
        return -1;
    }

    void write() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".users-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
