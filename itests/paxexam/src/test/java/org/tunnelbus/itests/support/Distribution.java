package org.tunnelbus.itests.support;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The built Tunnelbus distribution ({@code runtime/target/tunnelbus}) as its launcher sees it: the jars of
 * {@code bundles/} that the profile {@code etc/NAME.bndrun} runs, with the start level it gives them ({@code -runbundles}
 * clauses {@code bsn;version='[a,b)';startlevel=N}, else {@value #DEFAULT_START_LEVEL}; the profile is the one
 * {@code -Dtunnelbus.profile=NAME} names, else {@code server}), the profile's framework
 * properties ({@code -runproperties}) and extra system packages ({@code -runsystempackages}), and the default
 * {@code config/} folder.
 *
 * <p>Read outside the framework, by the tests' {@code @Configuration}. The rules are the launcher's
 * ({@code runtime/src/main/java/org/tunnelbus/runtime/launcher/BundleSet.java} and {@code Profile.java}):
 * install order by start level, then symbolic name; fragments are installed and never started.
 */
public final class Distribution {
    /** The launcher's start level for a bundle the profile does not name. */
    public static final int DEFAULT_START_LEVEL = 10;

    /** One jar of {@code bundles/}. */
    public record Jar(Path path, String symbolicName, String version, boolean fragment, int startLevel) {
        public String location() {
            return path.toUri().toString();
        }
    }

    private final Path home;
    private final String profileName;
    private final List<Jar> jars;
    private final Map<String, String> runProperties;
    private final String systemPackages;

    private Distribution(Path home, String profileName, List<Jar> jars, Map<String, String> runProperties,
                         String systemPackages) {
        this.home = home;
        this.profileName = profileName;
        this.jars = jars;
        this.runProperties = runProperties;
        this.systemPackages = systemPackages;
    }

    /** The distribution named by system property {@code tunnelbus.home} (set by the itests pom). */
    public static Distribution current() {
        String dir = System.getProperty("tunnelbus.home");
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException("system property tunnelbus.home is not set: run the tests through "
                    + "Maven (mvn verify in itests/paxexam), or set it to a built distribution (runtime/target/tunnelbus)");
        }
        try {
            return read(Path.of(dir).toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the distribution " + dir + ": " + e, e);
        }
    }

    public static Distribution read(Path home) throws IOException {
        Path profileFile = profileFile(home);
        Path bundlesDir = home.resolve("bundles");
        if (profileFile == null || !Files.isDirectory(bundlesDir)) {
            throw new IOException(home + " is not a built Tunnelbus distribution (no bundles/, or no etc/NAME.bndrun "
                    + "for -Dtunnelbus.profile=NAME, default server): build runtime/ first (mvn install at the top level)");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(profileFile, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        List<Clause> runBundles = parse(p.getProperty("-runbundles", ""));
        Map<String, String> props = new LinkedHashMap<>();
        for (Clause c : parse(p.getProperty("-runproperties", ""))) {
            int eq = c.raw.indexOf('=');
            if (eq > 0) {
                props.put(c.raw.substring(0, eq).trim(), unquote(c.raw.substring(eq + 1).trim()));
            }
        }
        String sys = p.getProperty("-runsystempackages", "").trim();

        List<Jar> jars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(bundlesDir, "*.jar")) {
            for (Path jar : ds) {
                Manifest mf;
                try (JarFile jf = new JarFile(jar.toFile())) {
                    mf = jf.getManifest();
                }
                Attributes a = mf == null ? null : mf.getMainAttributes();
                String bsn = a == null ? null : a.getValue("Bundle-SymbolicName");
                if (bsn == null) {
                    throw new IOException(jar + " is not an OSGi bundle (no Bundle-SymbolicName)");
                }
                bsn = bsn.split(";")[0].trim();
                String version = a.getValue("Bundle-Version") == null ? "0.0.0" : a.getValue("Bundle-Version").trim();
                boolean fragment = a.getValue("Fragment-Host") != null;
                for (Clause c : runBundles) {
                    String range = c.attributes.get("version");
                    if (c.name.equals(bsn) && (range == null || inRange(version, range))) {
                        String sl = c.attributes.get("startlevel");
                        int level = sl == null ? DEFAULT_START_LEVEL : Integer.parseInt(sl.trim());
                        jars.add(new Jar(jar.toAbsolutePath().normalize(), bsn, version, fragment, level));
                        break; // a jar of bundles/ that the profile does not run (another profile's) is left out
                    }
                }
            }
        }
        jars.sort(Comparator.comparingInt(Jar::startLevel).thenComparing(Jar::symbolicName));
        String name = p.getProperty("tunnelbus.profile", profileFile.getFileName().toString().replaceFirst("\\.bndrun$", ""));
        return new Distribution(home, name, Collections.unmodifiableList(jars), Collections.unmodifiableMap(props),
                sys.isEmpty() ? null : sys);
    }

    /**
     * The profile the launcher runs ({@code ProfileChoice}, without a home): {@code etc/NAME.bndrun} for
     * {@code -Dtunnelbus.profile=NAME}, else {@code etc/server.bndrun}; null if it does not exist.
     */
    static Path profileFile(Path home) {
        String name = System.getProperty("tunnelbus.profile");
        Path f = home.resolve("etc").resolve((name == null || name.isBlank() ? "server" : name.trim()) + ".bndrun");
        return Files.isRegularFile(f) ? f : null;
    }

    public Path home() {
        return home;
    }

    /** The profile's name, as the launcher reports it ({@code tunnelbus.profile}). */
    public String profileName() {
        return profileName;
    }

    /** The default configuration folder that a new HOME/config is copied from. */
    public Path config() {
        return home.resolve("config");
    }

    public List<Jar> jars() {
        return jars;
    }

    public Map<String, String> runProperties() {
        return runProperties;
    }

    /** {@code -runsystempackages}, or null. */
    public String systemPackages() {
        return systemPackages;
    }

    public int highestStartLevel() {
        int max = 1;
        for (Jar j : jars) {
            max = Math.max(max, j.startLevel());
        }
        return max;
    }

    // ---- bndrun header parsing (plain values only, as the launcher) ----

    private record Clause(String raw, String name, Map<String, String> attributes) {
    }

    private static List<Clause> parse(String header) {
        List<Clause> clauses = new ArrayList<>();
        for (String raw : split(header, ',')) {
            if (raw.isBlank()) {
                continue;
            }
            List<String> parts = split(raw, ';');
            Map<String, String> attrs = new LinkedHashMap<>();
            for (int i = 1; i < parts.size(); i++) {
                String part = parts.get(i);
                int eq = part.indexOf('=');
                if (eq > 0) {
                    String key = part.substring(0, eq).trim();
                    if (key.endsWith(":")) {
                        key = key.substring(0, key.length() - 1);
                    }
                    attrs.put(key, unquote(part.substring(eq + 1).trim()));
                }
            }
            clauses.add(new Clause(raw.trim(), parts.get(0).trim(), attrs));
        }
        return clauses;
    }

    private static List<String> split(String s, char separator) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
                cur.append(ch);
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                cur.append(ch);
            } else if (ch == separator) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    static boolean inRange(String version, String range) {
        String r = range.trim();
        if (r.isEmpty()) {
            return true;
        }
        char first = r.charAt(0);
        if (first != '[' && first != '(') {
            return compare(version, r) >= 0;
        }
        char last = r.charAt(r.length() - 1);
        String[] ends = r.substring(1, r.length() - 1).split(",");
        int lo = compare(version, ends[0].trim());
        int hi = compare(version, ends[1].trim());
        return (first == '[' ? lo >= 0 : lo > 0) && (last == ']' ? hi <= 0 : hi < 0);
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.", 4);
        String[] y = b.split("\\.", 4);
        for (int i = 0; i < 3; i++) {
            int c = Integer.compare(num(x, i), num(y, i));
            if (c != 0) {
                return c;
            }
        }
        return (x.length > 3 ? x[3] : "").compareTo(y.length > 3 ? y[3] : "");
    }

    private static int num(String[] parts, int i) {
        return i < parts.length && !parts[i].isEmpty() ? Integer.parseInt(parts[i]) : 0;
    }
}
