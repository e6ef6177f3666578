package org.tunnelbus.runtime.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which profile of the distribution ({@code DIST/etc/NAME.bndrun}) an instance runs, and where that choice came
 * from. First match wins: {@code --profile NAME}, {@code -Dtunnelbus.profile=NAME}, the one word in
 * {@code HOME/profile} (written by {@code tunnelbus import} for a client home), else {@value #DEFAULT}.
 */
record ProfileChoice(String name, String source, Path file) {

    static final String DEFAULT = "server";
    /** The file in a home that names its profile. */
    static final String HOME_FILE = "profile";

    static ProfileChoice choose(String option, String property, Path home, Path etc) throws IOException, LauncherException {
        String name;
        String source;
        Path homeFile = home.resolve(HOME_FILE);
        if (present(option)) {
            name = option.trim();
            source = "--profile";
        } else if (present(property)) {
            name = property.trim();
            source = "-Dtunnelbus.profile";
        } else if (Files.isRegularFile(homeFile)) {
            name = Files.readString(homeFile, StandardCharsets.UTF_8).trim();
            source = homeFile.toString();
            if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new LauncherException(homeFile + " must hold one profile name (one of " + String.join(", ", available(etc))
                        + "), not '" + name + "'");
            }
        } else {
            name = DEFAULT;
            source = "default";
        }
        Path file = etc.resolve(name + ".bndrun");
        // a name is a file name in etc/, never a path
        if (name.contains("/") || name.startsWith(".") || !Files.isRegularFile(file)) {
            List<String> known = available(etc);
            throw new LauncherException(known.isEmpty()
                    ? "the distribution has no profile in " + etc + " (is it a Tunnelbus distribution?)"
                    : "unknown profile '" + name + "' (from " + source + "); this distribution has: " + String.join(", ", known));
        }
        return new ProfileChoice(name, source, file);
    }

    /** The profile names of DIST/etc, sorted. */
    static List<String> available(Path etc) throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(etc)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(etc, "*.bndrun")) {
                ds.forEach(p -> names.add(p.getFileName().toString().replaceFirst("\\.bndrun$", "")));
            }
        }
        names.sort(null);
        return names;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
