package org.tunnelbus.runtime.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One resolved feature profile of the distribution ({@code etc/NAME.bndrun}, a copy of
 * {@code features/NAME.bndrun} after bnd's resolver wrote its {@code -runbundles}); {@link ProfileChoice} says which.
 *
 * <p>Only what the launcher needs is read: the start level of each run bundle ({@code -runbundles} clauses,
 * {@code bsn;version='[a,b)';startlevel=N}), the framework properties ({@code -runproperties}) and extra
 * system packages ({@code -runsystempackages}), and which files of the distribution's {@code config/} a new home
 * starts with ({@code tunnelbus.defaults}: comma-separated globs of file names; absent: {@code *}, all). A bndrun file is a Java properties file with OSGi-header
 * values; bnd macros are not expanded here, so these three keep to plain values.
 */
final class Profile {

    /** One {@code -runbundles} clause. */
    record RunBundle(String symbolicName, String versionRange, int startLevel) {}

    private final String name;
    private final List<RunBundle> runBundles;
    private final Map<String, String> runProperties;
    private final String systemPackages;
    private final List<String> defaults;

    private Profile(String name, List<RunBundle> runBundles, Map<String, String> runProperties, String systemPackages,
            List<String> defaults) {
        this.name = name;
        this.runBundles = runBundles;
        this.runProperties = runProperties;
        this.systemPackages = systemPackages;
        this.defaults = defaults;
    }

    static Profile read(Path file, int defaultStartLevel) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        List<RunBundle> bundles = new ArrayList<>();
        for (Clause c : parse(p.getProperty("-runbundles", ""))) {
            String level = c.attributes.get("startlevel");
            bundles.add(new RunBundle(c.name, c.attributes.get("version"),
                    level == null ? defaultStartLevel : Integer.parseInt(level.trim())));
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (Clause c : parse(p.getProperty("-runproperties", ""))) {
            // Each clause is key=value.
            int eq = c.raw.indexOf('=');
            if (eq > 0) {
                props.put(c.raw.substring(0, eq).trim(), unquote(c.raw.substring(eq + 1).trim()));
            }
        }
        String sysPkgs = p.getProperty("-runsystempackages", "").trim();
        String fileName = file.getFileName().toString();
        String name = p.getProperty("tunnelbus.profile", fileName.replaceFirst("\\.bndrun$", ""));
        List<String> defaults = split(p.getProperty("tunnelbus.defaults", "*"), ',').stream()
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new Profile(name, Collections.unmodifiableList(bundles), Collections.unmodifiableMap(props),
                sysPkgs.isEmpty() ? null : sysPkgs, defaults);
    }

    String name() {
        return name;
    }

    List<RunBundle> runBundles() {
        return runBundles;
    }

    Map<String, String> runProperties() {
        return runProperties;
    }

    /** The value for {@code org.osgi.framework.system.packages.extra}, or null. */
    String systemPackages() {
        return systemPackages;
    }

    /** The globs of {@code tunnelbus.defaults}. */
    List<String> defaults() {
        return defaults;
    }

    /** Whether a new home gets the distribution's default file {@code fileName} (a name in DIST/config). */
    boolean seeds(String fileName) {
        for (String glob : defaults) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            if (m.matches(Path.of(fileName))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a run bundle has this symbolic name. */
    boolean has(String bsn) {
        return runBundles.stream().anyMatch(b -> b.symbolicName().equals(bsn));
    }

    /** The run bundle with this symbolic name whose version range holds the version, or null. */
    RunBundle find(String bsn, String version) {
        for (RunBundle b : runBundles) {
            if (b.symbolicName().equals(bsn) && (b.versionRange() == null || inRange(version, b.versionRange()))) {
                return b;
            }
        }
        return null;
    }

    // ---- parsing -------------------------------------------------------------------------------------

    private record Clause(String raw, String name, Map<String, String> attributes) {}

    /** Splits an OSGi header into clauses at commas outside quotes; each clause into name and attributes. */
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
                        key = key.substring(0, key.length() - 1); // directive
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

    /** OSGi version range test ({@code [a,b)}, {@code (a,b]}, or a bare minimum version). */
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
