package org.tunnelbus.openvpn.internal.keys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The {@code OpenVPN Static key V1} text format used by tls-auth and tls-crypt (§2.10;
 * {@code crypto.c read_key_file()}, {@code write_key_file()}): a header line, 256 bytes as hex, a footer
 * line. Lines outside the markers (stock writes {@code #} comments; a config inlines the block inside
 * {@code <tls-crypt>} tags) are ignored, so a key file and an inline block parse the same way.
 */
public final class StaticKeyFile {
    public static final String HEADER = "-----BEGIN OpenVPN Static key V1-----";
    public static final String FOOTER = "-----END OpenVPN Static key V1-----";
    private static final int BYTES_PER_LINE = 16;

    private StaticKeyFile() {
    }

    /**
     * Reads the key block from {@code text}.
     *
     * @throws StaticKeyFormatException naming the problem and the line, if the text is not a complete
     *         2048-bit static key (2.6 requires both keys: {@code crypto_read_openvpn_key()})
     */
    public static Key2 parse(String text) throws StaticKeyFormatException {
        String[] lines = text.split("\r?\n", -1);
        int line = findHeader(lines);
        ByteArrayOutputStream key = new ByteArrayOutputStream(Key2.LENGTH);
        StringBuilder pending = new StringBuilder(2);
        for (line++; line < lines.length; line++) {
            String l = lines[line];
            if (l.startsWith("-")) {
                return finish(l, line, key, pending);
            }
            readHexLine(l, line, key, pending);
        }
        throw new StaticKeyFormatException("static key: footer '" + FOOTER + "' not found");
    }

    private static int findHeader(String[] lines) throws StaticKeyFormatException {
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(HEADER)) {
                return i;
            }
        }
        throw new StaticKeyFormatException("static key: header '" + HEADER + "' not found");
    }

    private static void readHexLine(String l, int line, ByteArrayOutputStream key, StringBuilder pending)
            throws StaticKeyFormatException {
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            if (Character.digit(c, 16) < 0) {
                throw new StaticKeyFormatException("static key: non-hex character "
                        + describe(c) + " at line " + (line + 1));
            }
            pending.append(c);
            if (pending.length() == 2) {
                if (key.size() == Key2.LENGTH) {
                    throw new StaticKeyFormatException("static key: more than " + Key2.LENGTH
                            + " bytes of key data (line " + (line + 1) + ")");
                }
                key.write(HexFormat.fromHexDigits(pending));
                pending.setLength(0);
            }
        }
    }

    private static Key2 finish(String l, int line, ByteArrayOutputStream key, StringBuilder pending)
            throws StaticKeyFormatException {
        if (!l.startsWith(FOOTER)) {
            throw new StaticKeyFormatException("static key: expected '" + FOOTER + "' at line " + (line + 1));
        }
        if (pending.length() != 0 || key.size() != Key2.LENGTH) {
            throw new StaticKeyFormatException("static key: found " + key.size() + (pending.length() != 0 ? ".5" : "")
                    + " bytes of key data, need exactly " + Key2.LENGTH
                    + " (a 2048-bit key from 'openvpn --genkey secret')");
        }
        return Key2.of(key.toByteArray());
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("0x%02x", (int) c);
    }

    /** A new random key, as {@code openvpn --genkey secret} makes one. */
    public static Key2 generate(SecureRandom random) {
        byte[] bytes = new byte[Key2.LENGTH];
        random.nextBytes(bytes);
        return Key2.of(bytes);
    }

    /**
     * Writes a new random key to {@code file} if there is no file there (first start of a server whose
     * configuration names a key it does not have yet), mode 0600 from the start; never replaces an existing file.
     * The key is written under a temporary name, forced to disk and linked into place, so a reader never sees half
     * a key and two writers cannot both win.
     *
     * @return true if this call created the file
     */
    public static boolean createIfMissing(Path file, SecureRandom random) throws IOException {
        if (Files.exists(file)) {
            return false;
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(format(generate(random)).getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            Files.createLink(file, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false; // someone else made it meanwhile: theirs stands
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The stock text form: comment lines, header, 16 lines of 32 lower-case hex digits, footer. */
    public static String format(Key2 key) {
        byte[] bytes = key.toByteArray();
        StringBuilder sb = new StringBuilder(800)
                .append("#\n# 2048 bit OpenVPN static key\n#\n")
                .append(HEADER).append('\n');
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < bytes.length; i += BYTES_PER_LINE) {
            sb.append(hex.formatHex(bytes, i, i + BYTES_PER_LINE)).append('\n');
        }
        Arrays.fill(bytes, (byte) 0);
        return sb.append(FOOTER).append('\n').toString();
    }
}
