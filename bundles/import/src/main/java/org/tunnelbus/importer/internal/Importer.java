package org.tunnelbus.importer.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads an OpenVPN configuration file and plans its import (nothing is written here). */
final class Importer {
    private Importer() {
    }

    static ImportPlan plan(Path config) throws ImportException, ConfigSyntaxException {
        List<String> lines;
        try {
            lines = Files.readAllLines(config, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ImportException("cannot read " + config + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        List<Directive> directives = new OvpnParser(config.toString()).parse(lines);
        ImportPlan plan = new ImportPlan(nameOf(config));
        Path dir = config.toAbsolutePath().getParent();
        KeyMaterial keys = new KeyMaterial(dir);
        if (ClientMapper.isClient(directives)) {
            new ClientMapper(plan, keys).map(directives);
        } else {
            new ServerMapper(plan, keys).map(directives);
        }
        return plan;
    }

    /** The file's name without extension, restricted to safe characters: the folder of its key material. */
    static String nameOf(Path config) {
        String n = config.getFileName().toString().replaceFirst("\\.(conf|ovpn|cfg)$", "");
        n = n.replaceAll("[^A-Za-z0-9_.-]", "_");
        return n.isEmpty() || n.startsWith(".") ? "imported" + n : n;
    }
}
