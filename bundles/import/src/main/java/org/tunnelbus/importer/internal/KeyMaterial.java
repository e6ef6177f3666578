package org.tunnelbus.importer.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the key material a directive names: its inline block, or the file it names, resolved as openvpn
 * resolves it: relative to the configuration file's directory (or the last {@code cd}).
 */
final class KeyMaterial {
    private Path base;

    KeyMaterial(Path base) {
        this.base = base;
    }

    /** OpenVPN's {@code cd DIR}: later relative paths resolve against DIR. */
    void changeDirectory(String dir) {
        base = base.resolve(dir).normalize();
    }

    String read(Directive d) throws ImportException {
        if (d.isInline()) {
            return d.inline();
        }
        String file = d.arg(0);
        if (file == null) {
            throw new ImportException("line " + d.line() + ": " + d.name() + " needs a file name or an inline <"
                    + d.name() + "> block");
        }
        Path p = base.resolve(file);
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ImportException("line " + d.line() + ": cannot read " + d.name() + " file " + p + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }
}
