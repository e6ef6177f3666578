package org.tunnelbus.importer.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * Which files of the distribution's default config/ a new home of a profile starts with: {@code tunnelbus.defaults}
 * of {@code DIST/etc/NAME.bndrun} (comma-separated globs of file names; absent: all), the list the launcher reads on
 * a home's first start (runtime/README.md). Read here too, so that an imported home is seeded exactly as a first
 * start of its profile would seed it.
 */
final class ProfileDefaults {
    private ProfileDefaults() {
    }

    static Predicate<String> of(Path dist, String profile) throws ImportException {
        Path bndrun = dist.resolve("etc").resolve(profile + ".bndrun");
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(bndrun, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ImportException("the distribution " + dist + " has no readable profile " + profile + " (" + bndrun
                    + ": " + e.getClass().getSimpleName() + ")", e);
        }
        List<PathMatcher> globs = new ArrayList<>();
        for (String glob : p.getProperty("tunnelbus.defaults", "*").split(",")) {
            if (!glob.isBlank()) {
                globs.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.trim()));
            }
        }
        return file -> globs.stream().anyMatch(m -> m.matches(Path.of(file)));
    }
}
