package org.tunnelbus.pki.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes the CA's files so that no reader ever sees a half-written one and no key is ever readable by
 * others, not even for an instant.
 *
 * <p>Every file is first created under a temporary name in its own directory with its final permissions
 * given to {@code open(2)} ({@code Files.createFile(path, PosixFilePermissions.asFileAttribute(...))}), written,
 * forced to disk, and then renamed into place. Keys are never replaced: {@link #createSecret} fails if the
 * target exists. Public files (certificates, CRL, index) are replaced atomically.
 */
final class StateFiles {
    static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> PUBLIC_DIR = PosixFilePermissions.fromString("rwxr-xr-x");

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private StateFiles() {
    }

    /** Creates {@code dir} (and parents) with {@code perms} if it does not exist. */
    static void directory(Path dir, Set<PosixFilePermission> perms) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir)) {
            throw new java.nio.file.NotDirectoryException(dir.toString());
        }
        if (POSIX) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(perms));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Writes a new secret (mode 0600); fails with {@link FileAlreadyExistsException} if {@code target} exists. */
    static void createSecret(Path target, String content) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "a key is never overwritten");
        }
        Path tmp = writeTemp(target, content, SECRET);
        try {
            Files.move(tmp, target); // no REPLACE_EXISTING: a key that appeared meanwhile stays
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes or atomically replaces a public file (mode 0644). */
    static void replacePublic(Path target, String content) throws IOException {
        Path tmp = writeTemp(target, content, PUBLIC);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path writeTemp(Path target, String content, Set<PosixFilePermission> perms) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        FileAttribute<?>[] attrs = POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)}
                : new FileAttribute<?>[0];
        Files.createFile(tmp, attrs);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            out.write(content.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /** True if the file's mode is exactly 0600 (always true where there are no POSIX permissions). */
    static boolean isSecret(Path file) throws IOException {
        return !POSIX || Files.getPosixFilePermissions(file).equals(SECRET);
    }

    /** An I/O error as a log-line tail: "not a directory: /x", "permission denied: /y", or its message. */
    static String why(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() == null) {
            String what = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                    : e instanceof java.nio.file.NotDirectoryException ? "not a directory"
                    : e.getClass().getSimpleName();
            return what + ": " + f.getFile();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII);
    }
}
