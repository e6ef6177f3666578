package org.tunnelbus.openvpn.internal.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import org.tunnelbus.openvpn.internal.keys.Key2;
import org.tunnelbus.openvpn.internal.keys.StaticKeyFile;

/** Writes a new static key file ({@code openvpn --genkey secret}) atomically, readable by its owner only. */
final class StaticKeys {
    private StaticKeys() {
    }

    /**
     * Generates a 2048-bit static key at {@code file} unless one exists (another process may race us: the first
     * complete file wins).
     */
    static void generate(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Key2 key = StaticKeyFile.generate(new SecureRandom());
        String text = StaticKeyFile.format(key);
        key.destroy();
        Path tmp = Files.createTempFile(dir, ".static-key-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            if (Files.exists(file)) {
                return;
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                // someone else was faster
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
