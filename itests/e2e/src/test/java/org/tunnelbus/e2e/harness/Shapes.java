package org.tunnelbus.e2e.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Compares management transcripts field by field: each field of a line becomes its shape ({@code N} a number,
 * {@code T} a date-time, {@code IP} an IPv4 address, {@code IP:PORT} a socket address) and the rest stays as it
 * is, so two servers' answers compare equal when they have the same fields in the same places with the same
 * fixed words, whatever their counters, times and addresses.
 */
public final class Shapes {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    private static final Pattern IP = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IP_PORT = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}:\\d{1,5}");

    private Shapes() {
    }

    /** The shape of one field. */
    public static String field(String f) {
        if (NUMBER.matcher(f).matches()) {
            return "N";
        }
        if (TIME.matcher(f).matches()) {
            return "T";
        }
        if (IP_PORT.matcher(f).matches()) {
            return "IP:PORT";
        }
        if (IP.matcher(f).matches()) {
            return "IP";
        }
        return f;
    }

    /** The shape of a line whose fields are separated by {@code separator} (a regex), keeping empty fields. */
    public static String line(String line, String separator) {
        List<String> out = new ArrayList<>();
        for (String f : line.split(separator, -1)) {
            out.add(field(f));
        }
        return String.join("|", out);
    }

    /** Shapes of every line (comma-separated fields; tabs for lines that contain a tab). */
    public static List<String> lines(List<String> lines) {
        return lines.stream().map(l -> line(l, l.contains("\t") ? "\t" : ",")).toList();
    }

    /**
     * A one-line answer with its numbers replaced ({@code SUCCESS: nclients=N,bytesin=N,...}): numbers inside
     * words and after {@code =} or {@code :} become {@code N}.
     */
    public static String numbers(String line) {
        return line.replaceAll("\\d+", "N");
    }
}
