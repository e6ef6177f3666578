package org.tunnelbus.importer.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders a configuration file in FileInstall's typed .cfg form ({@code key = "text"}, {@code I"1194"},
 * {@code B"true"}, {@code ["a", "b"]}) and writes files atomically. Typed because a list such as the pushed
 * options must reach Config Admin as a list: in a plain .cfg file it would be one string. FileInstall reads a
 * file as typed only when every value is typed, so every value is.
 */
final class CfgWriter {
    private CfgWriter() {
    }

    static String render(String header, Map<String, Object> properties, String source) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(header).append('\n');
        b.append("# Imported from ").append(source.replace('\n', ' ')).append(" by 'tunnelbus import'; see docs/configuration.md.\n");
        b.append("# Typed values (Felix FileInstall): \"text\", I\"integer\", B\"boolean\", [\"list\", \"items\"].\n");
        properties.forEach((k, v) -> b.append(k).append(" = ").append(value(v)).append('\n'));
        return b.toString();
    }

    static String value(Object v) {
        if (v instanceof Integer) {
            return "I\"" + v + "\"";
        }
        if (v instanceof Boolean) {
            return "B\"" + v + "\"";
        }
        if (v instanceof List<?> list) {
            return list.stream().map(o -> quote(o.toString())).collect(Collectors.joining(", ", "[", "]"));
        }
        return quote(v.toString());
    }

    /** A quoted string of the typed format, escaped for it and for the .properties layer around it. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\\\\\"); // one backslash: \\ for the typed layer, doubled for properties
                case '"' -> b.append("\\\""); // \" is kept by the properties layer and unescaped by the typed one
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * Writes {@code content} to {@code target} through a hidden temporary file in the same folder and an atomic
     * rename, so that FileInstall (which watches the folder) never reads a partial file. The temporary name does
     * not end in .cfg, so FileInstall ignores it.
     */
    static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--");
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(mode)); // 0600 from the start: never readable by others
        Files.setPosixFilePermissions(tmp, mode); // the umask may have taken bits away
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
