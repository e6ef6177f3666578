package org.tunnelbus.e2e.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The web console of a {@link TunnelbusServer} over HTTP, from inside its namespace ({@code curl} with the
 * generated password of {@code HOME/console.password}): what an operator's browser posts.
 */
public final class Console {
    private final Netns ns;
    private final String base;
    private final Path passwordFile;

    public Console(Netns ns, int port, Path home) {
        this.ns = ns;
        this.base = "http://127.0.0.1:" + port + "/system/console";
        this.passwordFile = home.resolve("console.password");
    }

    public String password() {
        try {
            return Files.readString(passwordFile).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** GET {@code path} (below /system/console); the body. */
    public String get(String path) {
        return curl(List.of(base + path));
    }

    /** POST form fields ({@code name=value}, URL-encoded by curl) to {@code path}; the body. */
    public String post(String path, String... fields) {
        List<String> args = new ArrayList<>();
        for (String f : fields) {
            args.add("--data-urlencode");
            args.add(f);
        }
        args.add(base + path);
        return curl(args);
    }

    /** A multipart upload (the Bundles page's install form): {@code file} as {@code bundlefile}. */
    public String installBundle(Path file) {
        return curl(List.of("-F", "action=install", "-F", "bundlestart=start", "-F", "bundlestartlevel=10",
                "-F", "bundlefile=@" + file, base + "/bundles"));
    }

    private String curl(List<String> args) {
        // the password goes through a file (-K reads "user = ..."), never on a command line
        Path netrc = passwordFile.resolveSibling(".curl-console");
        try {
            Files.writeString(netrc, "user = \"admin:" + password() + "\"\n");
            Files.setPosixFilePermissions(netrc, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> c = new ArrayList<>(List.of("curl", "-s", "-S", "-K", netrc.toString()));
        c.addAll(args);
        return ns.run(Duration.ofSeconds(30), c.toArray(String[]::new)).check().output();
    }
}
