package org.tunnelbus.importer.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What became of every directive of the imported file: mapped (to which PID and property), taken with a note
 * (nothing to configure, but the behaviour differs or needs attention), or unsupported (with why). Every
 * directive gets at least one entry, so nothing is dropped silently.
 */
final class Report {
    enum Outcome { MAPPED, NOTE, UNSUPPORTED }

    record Entry(int line, String directive, Outcome outcome, String detail) { }

    private final List<Entry> entries = new ArrayList<>();
    private final List<String> general = new ArrayList<>();

    void mapped(Directive d, String detail) {
        add(d, Outcome.MAPPED, detail);
    }

    void note(Directive d, String detail) {
        add(d, Outcome.NOTE, detail);
    }

    void unsupported(Directive d, String why) {
        add(d, Outcome.UNSUPPORTED, why);
    }

    /** A remark about the import as a whole (not tied to one line). */
    void general(String remark) {
        general.add(remark);
    }

    private void add(Directive d, Outcome o, String detail) {
        entries.add(new Entry(d.line(), d.text(), o, detail));
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    List<Entry> unsupported() {
        return entries.stream().filter(e -> e.outcome() == Outcome.UNSUPPORTED).toList();
    }

    boolean allMapped() {
        return unsupported().isEmpty();
    }

    /** The report as printed: unsupported first (what needs action), then notes, then what was mapped. */
    String render(String source) {
        StringBuilder b = new StringBuilder("Import of ").append(source).append('\n');
        general.forEach(g -> b.append("  ").append(g).append('\n'));
        section(b, Outcome.UNSUPPORTED, "UNSUPPORTED (not imported; Tunnelbus runs without them)");
        section(b, Outcome.NOTE, "NOTES (imported; nothing to configure, but read them)");
        section(b, Outcome.MAPPED, "MAPPED");
        long u = unsupported().size();
        b.append(u == 0 ? "Every directive was imported.\n"
                : u + " directive" + (u == 1 ? " is" : "s are") + " unsupported (listed above).\n");
        return b.toString();
    }

    private void section(StringBuilder b, Outcome o, String title) {
        List<Entry> list = entries.stream().filter(e -> e.outcome() == o)
                .sorted(Comparator.comparingInt(Entry::line)).toList();
        if (list.isEmpty()) {
            return;
        }
        b.append(title).append(":\n");
        for (Entry e : list) {
            b.append(String.format("  line %3d  %-40s %s%n", e.line(), shorten(e.directive()), e.detail()));
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
