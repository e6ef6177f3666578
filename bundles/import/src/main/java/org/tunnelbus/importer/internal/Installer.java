package org.tunnelbus.importer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a plan into a home: key material into HOME/import/NAME/ (secrets 0600), configuration files into
 * HOME/config/. A home that has no config/ yet gets the distribution's defaults the plan asks for first (all of
 * them for a server, as its first start would, so the imported files complete them; the packet bus only for a
 * client). A home whose config/ exists is never seeded, here or by the launcher. Files that exist are never replaced
 * silently: without {@code force} the import stops before writing anything and names them.
 */
final class Installer {
    private final Path home;
    private final Path distConfig;
    private final boolean force;

    /** @param distConfig the distribution's default config/ folder, or null when there is none */
    Installer(Path home, Path distConfig, boolean force) {
        this.home = home;
        this.distConfig = distConfig;
        this.force = force;
    }

    /** Returns the files written, in order. */
    List<Path> install(ImportPlan plan, String source) throws ImportException {
        Path configDir = home.resolve("config");
        Path importDir = home.resolve("import").resolve(plan.name());
        boolean freshHome = !Files.exists(configDir) && !plan.configs().isEmpty();
        List<Path> targets = new ArrayList<>();
        plan.materials().keySet().forEach(f -> targets.add(importDir.resolve(f)));
        plan.configs().keySet().forEach(f -> targets.add(configDir.resolve(f)));
        refuseOverwrites(freshHome ? targets.subList(0, plan.materials().size()) : targets);
        try {
            List<Path> written = new ArrayList<>();
            if (freshHome) {
                // listed once: the plan's own files replace the defaults of the same name below
                seedDefaults(configDir, plan).stream()
                        .filter(p -> !plan.configs().containsKey(p.getFileName().toString())).forEach(written::add);
            }
            for (ImportPlan.Material m : plan.materials().values()) {
                Path p = importDir.resolve(m.name());
                CfgWriter.writeAtomically(p, m.content(), m.secret());
                written.add(p);
            }
            for (var e : plan.configs().entrySet()) {
                Path p = configDir.resolve(e.getKey());
                CfgWriter.writeAtomically(p, CfgWriter.render(e.getValue().header(), e.getValue().properties(), source), false);
                written.add(p);
            }
            return written;
        } catch (IOException e) {
            throw new ImportException("cannot write into " + home + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
    }

    private void refuseOverwrites(List<Path> targets) throws ImportException {
        if (force) {
            return;
        }
        List<String> existing = targets.stream().filter(Files::exists).map(Path::toString).toList();
        if (!existing.isEmpty()) {
            throw new ImportException("nothing written: these files exist and would be replaced:\n  "
                    + String.join("\n  ", existing) + "\nrun again with --force to replace them");
        }
    }

    /** What the launcher does on a home's first start (copy DIST/config), limited to what the plan needs. */
    private List<Path> seedDefaults(Path configDir, ImportPlan plan) throws IOException {
        Files.createDirectories(configDir);
        List<Path> seeded = new ArrayList<>();
        if (distConfig == null || !Files.isDirectory(distConfig)) {
            return seeded;
        }
        try (Stream<Path> files = Files.list(distConfig)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> plan.seeds(p.getFileName().toString())).toList()) {
                CfgWriter.writeAtomically(configDir.resolve(f.getFileName()), Files.readString(f), false);
                seeded.add(configDir.resolve(f.getFileName()));
            }
        }
        return seeded;
    }
}
