package org.tunnelbus.runtime.launcher;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * HOME/config on the first start of a home: the files of the distribution's default {@code config/} that the
 * profile names ({@code tunnelbus.defaults}; a server's are all of them, a client's only the packet bus). A home
 * whose config/ exists is left as it is (an imported client home, or one the operator made).
 */
final class HomeConfig {
    private HomeConfig() {
    }

    /** Returns true when it created {@code configDir}. */
    static boolean seed(Path defaults, Path configDir, Profile profile) throws IOException {
        if (Files.exists(configDir)) {
            return false;
        }
        Files.createDirectories(configDir);
        if (!Files.isDirectory(defaults)) {
            return true;
        }
        Files.walkFileTree(defaults, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(configDir.resolve(defaults.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = file.getFileName().toString();
                if (!name.equals(".keep") && profile.seeds(name)) {
                    Files.copy(file, configDir.resolve(defaults.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return true;
    }
}
