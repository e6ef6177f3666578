package org.tunnelbus.runtime.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * The web console's admin password: generated at the first start of a home, kept in
 * {@code HOME/console.password} (mode 0600), and handed to the console hashed.
 *
 * <p>Web Console 5.0.18 ({@code OsgiManager}) builds its default configuration from the framework properties
 * {@code felix.webconsole.username} and {@code felix.webconsole.password} when it activates, before it
 * registers anything with the HTTP whiteboard; it only falls back to admin/admin when they are absent. So
 * with both set from the start there is no moment at which admin/admin is accepted. The password value may
 * be hashed: {@code {sha-256}SALT-ITERATIONS-BASE64}, where the hash is SHA-256 applied ITERATIONS times to
 * the UTF-8 bytes of SALT followed by the password ({@code org.apache.felix.webconsole.internal.servlet.Password}).
 * The hashed form keeps the clear password off the console's own "framework properties" page.
 */
final class ConsolePassword {

    static final String FILE_NAME = "console.password";
    static final String USER = "admin";

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int LENGTH = 24;
    private static final int ITERATIONS = 1000;

    private final String password;
    private final boolean generated;
    private final Path file;

    private ConsolePassword(String password, boolean generated, Path file) {
        this.password = password;
        this.generated = generated;
        this.file = file;
    }

    /**
     * Reads {@code HOME/console.password}, or creates it with a new random password. The file is created
     * with mode 0600 by the same open call that creates it (O_CREAT|O_EXCL), so it is never readable by others,
     * and two instances starting at once on one home agree on one password.
     */
    static ConsolePassword loadOrCreate(Path home) throws IOException, LauncherException {
        Path file = home.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            String pw = generate(new SecureRandom());
            try (SeekableByteChannel ch = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)))) {
                ByteBuffer bytes = ByteBuffer.wrap((pw + "\n").getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                return new ConsolePassword(pw, true, file);
            } catch (FileAlreadyExistsException raced) {
                // another instance created it in the meantime: use its password
            }
        }
        String pw;
        try {
            pw = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new LauncherException("cannot read the web console password file " + file + ": " + e.getMessage());
        }
        if (pw.isEmpty() || pw.contains("\n")) {
            throw new LauncherException("the web console password file " + file
                    + " must hold the password on one line; delete it to have a new one generated");
        }
        return new ConsolePassword(pw, false, file);
    }

    /** True when the group or others may read the file (someone loosened it by hand). */
    boolean readableByOthers() {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            return perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    boolean generated() {
        return generated;
    }

    String password() {
        return password;
    }

    Path file() {
        return file;
    }

    /** The value for {@code felix.webconsole.password}. */
    String hashed() {
        byte[] salt = new byte[8];
        new SecureRandom().nextBytes(salt);
        return hash(password, HexFormat.of().formatHex(salt), ITERATIONS);
    }

    static String hash(String password, String salt, int iterations) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] bytes = (salt + password).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < iterations; i++) {
                md.reset();
                bytes = md.digest(bytes);
            }
            return "{sha-256}" + salt + "-" + iterations + "-" + Base64.getEncoder().encodeToString(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    static String generate(SecureRandom random) {
        StringBuilder sb = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
