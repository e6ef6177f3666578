package org.tunnelbus.importer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Writes a plan into a home: key material into HOME/import/NAME/ (secrets 0600), configuration files into
 * HOME/config/, the plan's profile into HOME/profile (the launcher runs that profile: {@code client} for a client
 * home). A home that has no config/ yet gets first the distribution's defaults that the profile names (as its first
 * start would, so the imported files complete them: all for a server, the packet bus only for a client; see
 * {@link ProfileDefaults}). A home whose config/ exists is never seeded, here or by the launcher. Files that exist
 * are never replaced silently: without {@code force} the import stops before writing anything and names them.
 */
final class Installer {
    private final Path home;
    private final Path dist;
    private final boolean force;

    /** @param dist the distribution (its config/ and etc/), or null when there is none: nothing is seeded then */
    Installer(Path home, Path dist, boolean force) {
        this.home = home;
        this.dist = dist;
        this.force = force;
    }

    /** Returns the files written, in order. */
    List<Path> install(ImportPlan plan, String source) throws ImportException {
        Path configDir = home.resolve("config");
        Path importDir = home.resolve("import").resolve(plan.name());
        Path profileFile = home.resolve(Pids.PROFILE_FILE);
        boolean freshHome = !Files.exists(configDir) && !plan.configs().isEmpty();
        Predicate<String> seeds = freshHome && dist != null ? ProfileDefaults.of(dist, plan.profile()) : file -> false;
        boolean profileChanges = !plan.profile().equals(read(profileFile));
        List<Path> replaced = new ArrayList<>();
        plan.materials().keySet().forEach(f -> replaced.add(importDir.resolve(f)));
        if (!freshHome) {
            plan.configs().keySet().forEach(f -> replaced.add(configDir.resolve(f)));
        }
        if (profileChanges) {
            replaced.add(profileFile);
        }
        refuseOverwrites(replaced);
        try {
            List<Path> written = new ArrayList<>();
            if (freshHome) {
                // listed once: the plan's own files replace the defaults of the same name below
                seedDefaults(configDir, seeds).stream()
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
            if (profileChanges) {
                CfgWriter.writeAtomically(profileFile, plan.profile() + "\n", false);
                written.add(profileFile);
            }
            return written;
        } catch (IOException e) {
            throw new ImportException("cannot write into " + home + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
    }

    /** The profile HOME/profile names, or null when there is none. */
    private static String read(Path profileFile) throws ImportException {
        try {
            return Files.isRegularFile(profileFile) ? Files.readString(profileFile).trim() : null;
        } catch (IOException e) {
            throw new ImportException("cannot read " + profileFile + ": " + e.getClass().getSimpleName(), e);
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

    /** What the launcher does on a home's first start (copy DIST/config), limited to what the profile names. */
    private List<Path> seedDefaults(Path configDir, Predicate<String> seeds) throws IOException {
        Files.createDirectories(configDir);
        List<Path> seeded = new ArrayList<>();
        Path distConfig = dist == null ? null : dist.resolve("config");
        if (distConfig == null || !Files.isDirectory(distConfig)) {
            return seeded;
        }
        try (Stream<Path> files = Files.list(distConfig)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> seeds.test(p.getFileName().toString())).toList()) {
                CfgWriter.writeAtomically(configDir.resolve(f.getFileName()), Files.readString(f), false);
                seeded.add(configDir.resolve(f.getFileName()));
            }
        }
        return seeded;
    }
}
