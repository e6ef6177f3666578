package org.tunnelbus.importer.internal;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code tunnelbus import FILE [--home DIR] [--force]} (bin/tunnelbus passes {@code --dist}): plans the import,
 * writes it, prints the report. Exit status 0 when every directive was imported, 3 when files were written but
 * some directives are unsupported, 1 on an error (nothing written), 64 on a bad command line.
 */
public final class ImportCommand {
    static final int OK = 0;
    static final int ERROR = 1;
    static final int PARTIAL = 3;
    static final int USAGE = 64;

    private ImportCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("tunnelbus import: " + e.getMessage() + "; see 'tunnelbus --help'");
            return USAGE;
        }
        try {
            ImportPlan plan = Importer.plan(o.file());
            Installer installer = new Installer(o.home(), o.dist(), o.force());
            List<Path> written = installer.install(plan, o.file().toString());
            System.out.print(plan.report().render(o.file().toString()));
            System.out.println("Written:");
            written.forEach(p -> System.out.println("  " + p));
            return plan.report().allMapped() ? OK : PARTIAL;
        } catch (ImportException | ConfigSyntaxException e) {
            System.err.println("tunnelbus import: " + e.getMessage());
            return ERROR;
        }
    }

    /** The command line. */
    record Options(Path file, Path home, Path dist, boolean force) {
        static Options parse(String[] args) {
            Path file = null;
            Path home = null;
            Path dist = null;
            boolean force = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--home" -> home = Path.of(value(args, ++i, "--home"));
                    case "--dist" -> dist = Path.of(value(args, ++i, "--dist"));
                    case "--force" -> force = true;
                    default -> {
                        if (args[i].startsWith("-") || file != null) {
                            throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
                        }
                        file = Path.of(args[i]);
                    }
                }
            }
            if (file == null || home == null) {
                throw new IllegalArgumentException(file == null ? "which file? tunnelbus import FILE" : "--home is missing");
            }
            return new Options(file, home, dist, force);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
