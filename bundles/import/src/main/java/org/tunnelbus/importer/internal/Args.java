package org.tunnelbus.importer.internal;

/** Checks of a directive's arguments; a bad one is reported as unsupported with why, never guessed at. */
final class Args {
    private Args() {
    }

    /** The argument as a number in min..max, or null (reported) when it is missing or outside. */
    static Integer number(Report report, Directive d, int index, int min, int max) {
        String v = d.arg(index);
        try {
            long n = Long.parseLong(v == null ? "" : v);
            if (n >= min && n <= max) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        report.unsupported(d, "argument " + (index + 1) + " must be a number " + min + ".." + max
                + (v == null ? ", and it is missing" : ", not '" + v + "'"));
        return null;
    }

    /** True when the directive has between min and max arguments; reports it otherwise. */
    static boolean count(Report report, Directive d, int min, int max) {
        int n = d.args().size();
        if (n >= min && n <= max) {
            return true;
        }
        report.unsupported(d, "takes " + (min == max ? String.valueOf(min) : min + " to " + max)
                + " argument" + (max == 1 ? "" : "s") + ", not " + n);
        return false;
    }
}
