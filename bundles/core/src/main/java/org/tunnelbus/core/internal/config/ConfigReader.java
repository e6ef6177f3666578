package org.tunnelbus.core.internal.config;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads typed values out of a raw configuration dictionary and collects every problem, so that a
 * component can refuse a bad configuration with one log line that names the PID, the file it came from,
 * each bad property, its value and why (DESIGN invariant 7).
 *
 * <p>Values arrive as Config Admin stores them: strings from a FileInstall {@code .cfg} file, typed values
 * from {@code .config} files, the Configurator or the web console. Numbers accept {@link Number} and
 * decimal strings; booleans accept {@link Boolean} and {@code true}/{@code false}; lists accept arrays,
 * collections and comma-separated strings.
 *
 * <p>Not thread-safe: one reader per validation.
 */
public final class ConfigReader {
    /** Set by Felix FileInstall in every configuration it created from a file. */
    public static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private final String pid;
    private final Map<String, ?> props;
    private final List<String> problems = new ArrayList<>();

    public ConfigReader(String pid, Map<String, ?> props) {
        this.pid = pid;
        this.props = props == null ? Map.of() : props;
    }

    /** An integral number in {@code [min, max]}, or {@code def} when absent. */
    public long number(String key, long def, long min, long max) {
        Object v = props.get(key);
        if (v == null || (v instanceof String s && s.isBlank())) {
            return def;
        }
        long n;
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            n = ((Number) v).longValue();
        } else if (v instanceof Number num) {
            double d = num.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                problem(key, v, "must be a whole number from " + min + " to " + max);
                return def;
            }
            n = (long) d;
        } else if (v instanceof String s) {
            try {
                n = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                problem(key, v, "is not a whole number (expected " + min + " to " + max + ")");
                return def;
            }
        } else {
            problem(key, v, "must be a whole number from " + min + " to " + max);
            return def;
        }
        if (n < min || n > max) {
            problem(key, v, "must be from " + min + " to " + max);
            return def;
        }
        return n;
    }

    /** An int in {@code [min, max]}. */
    public int integer(String key, int def, int min, int max) {
        return (int) number(key, def, min, max);
    }

    public boolean bool(String key, boolean def) {
        Object v = props.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            String t = s.trim();
            if (t.isEmpty()) {
                return def;
            }
            if (t.equalsIgnoreCase("true")) {
                return true;
            }
            if (t.equalsIgnoreCase("false")) {
                return false;
            }
        }
        problem(key, v, "must be true or false");
        return def;
    }

    public String string(String key, String def) {
        Object v = props.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof String s) {
            return s.trim();
        }
        problem(key, v, "must be a string");
        return def;
    }

    /** A list of non-blank strings (array, collection or comma-separated string); empty when absent. */
    public List<String> strings(String key) {
        Object v = props.get(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v instanceof String s) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        } else if (v.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(v); i++) {
                Object e = Array.get(v, i);
                if (e != null && !e.toString().isBlank()) {
                    out.add(e.toString().trim());
                }
            }
        } else if (v instanceof Collection<?> c) {
            for (Object e : c) {
                if (e != null && !e.toString().isBlank()) {
                    out.add(e.toString().trim());
                }
            }
        } else {
            problem(key, v, "must be a list of strings");
        }
        return out;
    }

    /** Records a problem with {@code key}: its value was {@code value}, and {@code why} it is refused. */
    public void problem(String key, Object value, String why) {
        problems.add(key + "=" + show(value) + " " + why);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** The file the configuration came from (FileInstall), or null. */
    public String file() {
        Object f = props.get(FILEINSTALL_FILENAME);
        if (f == null) {
            return null;
        }
        String s = f.toString();
        return s.startsWith("file:") ? s.substring("file:".length()) : s; // FileInstall stores a URL
    }

    /**
     * The one log line for a refusal: {@code Refused configuration PID (file F): prop='v' why; ...; CONSEQUENCE}.
     *
     * @param consequence what the component does instead, e.g. "keeping the last good configuration"
     */
    public String refusal(String consequence) {
        StringBuilder sb = new StringBuilder("Refused configuration ").append(pid);
        String file = file();
        if (file != null) {
            sb.append(" (file ").append(file).append(')');
        }
        sb.append(": ").append(String.join("; ", problems)).append("; ").append(consequence);
        return sb.toString();
    }

    private static String show(Object value) {
        if (value != null && value.getClass().isArray()) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < Array.getLength(value); i++) {
                sb.append(i == 0 ? "" : ", ").append(Array.get(value, i));
            }
            return "'" + sb.append(']') + "'";
        }
        return "'" + value + "'";
    }
}
