package org.tunnelbus.openvpn.internal.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads typed values from a component's configuration properties (Config Admin: strings from a .cfg file, typed
 * values from the web console) and collects every problem, each naming its property, so that one refusal lists
 * them all. Shared by the listener's and the client's settings.
 */
public class PropertyReader {
    private final Map<String, ?> props;
    private final List<String> problems = new ArrayList<>();
    private int missingFiles;

    public PropertyReader(Map<String, ?> props) {
        this.props = props;
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** The problems so far, each {@code property 'NAME': why}. */
    public List<String> problems() {
        return problems;
    }

    /** How many of the problems are files that do not exist (yet): a listener waits for those. */
    public int missingFiles() {
        return missingFiles;
    }

    public void refuse(String property, String why) {
        problems.add("property '" + property + "': " + why);
    }

    /** A single value, trimmed (the first of an array), or {@code dflt}. */
    public String string(String name, String dflt) {
        Object v = props.get(name);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String[] a) {
            return a.length == 0 ? dflt : a[0].trim();
        }
        return v.toString().trim();
    }

    /** A list: an array, a collection or one comma-separated string; entries trimmed, empty ones dropped, in order. */
    public List<String> strings(String name) {
        Object v = props.get(name);
        Collection<String> raw;
        if (v == null) {
            raw = List.of();
        } else if (v instanceof String[] a) {
            raw = Arrays.asList(a);
        } else if (v instanceof Collection<?> c) {
            raw = c.stream().map(Object::toString).toList();
        } else {
            raw = List.of(v.toString());
        }
        List<String> out = new ArrayList<>();
        for (String s : raw) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return List.copyOf(out);
    }

    public int integer(String name, int dflt, int min, int max) {
        Object v = props.get(name);
        if (v instanceof String[] a) {
            v = a.length == 0 ? null : a[0];
        }
        if (v == null || v.toString().isBlank()) {
            return dflt;
        }
        long n;
        try {
            n = v instanceof Number num ? num.longValue() : Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            refuse(name, "'" + v + "' is not a number");
            return dflt;
        }
        if (n < min || n > max) {
            refuse(name, n + " is outside " + min + ".." + max);
            return dflt;
        }
        return (int) n;
    }

    /** A value through {@code parser}; an {@link IllegalArgumentException} is a problem with its message. */
    public <T> T parse(String name, String dflt, Function<String, T> parser) {
        try {
            return parser.apply(string(name, dflt));
        } catch (IllegalArgumentException e) {
            refuse(name, e.getMessage());
            return null;
        }
    }

    /** A file whose path the property names, read and parsed; null (and a problem) if it cannot be. */
    public <T> T file(String name, boolean required, Function<String, T> parser) {
        String path = string(name, "");
        if (path.isEmpty()) {
            if (required) {
                refuse(name, "is required (a file path)");
            }
            return null;
        }
        String text;
        try {
            text = Files.readString(Path.of(path), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            refuse(name, path + " does not exist (yet)");
            missingFiles++;
            return null;
        } catch (IOException | RuntimeException e) {
            refuse(name, "cannot read " + path + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            return null;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            refuse(name, path + ": " + e.getMessage());
            return null;
        }
    }
}
