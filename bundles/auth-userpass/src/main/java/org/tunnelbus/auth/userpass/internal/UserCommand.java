package org.tunnelbus.auth.userpass.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Properties;

/**
 * {@code bin/tunnelbus user add|passwd|del NAME [--home DIR]}: keeps the users file of an instance, outside
 * the framework (this bundle's jar and Bouncy Castle on the class path). The file is the {@code users.file}
 * of {@code HOME/config/org.tunnelbus.auth.userpass.cfg}, else {@code HOME/users}; the running server
 * re-reads it on change. New passwords are hashed with argon2id.
 *
 * <p>Exit status: 0 done; 1 an error (one line on stderr); 64 bad usage.
 */
public final class UserCommand {
    static final int USAGE = 64;
    private static final String USAGE_LINE = "usage: tunnelbus user add|passwd|del NAME [--home DIR]";

    private final PrintStream out;
    private final PrintStream err;
    private final PasswordPrompt prompt;

    UserCommand(PrintStream out, PrintStream err, PasswordPrompt prompt) {
        this.out = out;
        this.err = err;
        this.prompt = prompt;
    }

    public static void main(String[] args) {
        System.exit(new UserCommand(System.out, System.err, new PasswordPrompt(System.console(), System.in)).run(args));
    }

    int run(String[] args) {
        String home = System.getenv().getOrDefault("TUNNELBUS_HOME", ".");
        String action = null;
        String name = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--home") && i + 1 < args.length) {
                home = args[++i];
            } else if (action == null) {
                action = args[i];
            } else if (name == null) {
                name = args[i];
            } else {
                return usage("unexpected argument '" + args[i] + "'");
            }
        }
        if (action == null || !(action.equals("add") || action.equals("passwd") || action.equals("del"))) {
            return usage(action == null ? "no action" : "unknown action '" + action + "'");
        }
        if (name == null) {
            return usage("no user name");
        }
        if (!Users.isValidName(name)) {
            return usage("bad user name '" + LogSafe.name(name) + "' (1-128 of A-Z a-z 0-9 . _ @ + = -)");
        }
        try {
            Path file = usersFile(Paths.get(home));
            apply(action, name, file);
            notes(Paths.get(home));
            return 0;
        } catch (IOException e) {
            err.println("tunnelbus user " + action + ": " + LogSafe.reason(e));
            return 1;
        }
    }

    private void apply(String action, String name, Path file) throws IOException {
        UserFileEditor editor;
        try {
            editor = UserFileEditor.open(file);
        } catch (UserFileException e) {
            throw new IOException(file + " " + e.getMessage() + " (fix that line first)");
        }
        boolean exists = editor.contains(name);
        if (action.equals("add") && exists) {
            throw new IOException("user " + name + " exists in " + file + "; use 'tunnelbus user passwd " + name + "'");
        }
        if (!action.equals("add") && !exists) {
            throw new IOException("no user " + name + " in " + file);
        }
        if (action.equals("del")) {
            editor.remove(name);
        } else {
            char[] password = prompt.read(name);
            try {
                editor.put(name, Argon2idHash.create(password, new SecureRandom()));
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        editor.write();
        out.println((action.equals("add") ? "Added user " : action.equals("del") ? "Deleted user " : "Changed the password of ")
                + name + (action.equals("add") ? " to " : action.equals("del") ? " from " : " in ") + file);
    }

    /** {@code users.file} of the instance's configuration (with {@code ${tunnelbus.home}}), else HOME/users. */
    static Path usersFile(Path home) throws IOException {
        Path cfg = home.resolve("config").resolve(UserPassConfig.PID + ".cfg");
        if (Files.isRegularFile(cfg)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            String value = p.getProperty("users.file", "").trim();
            if (!value.isEmpty()) {
                return Paths.get(value.replace("${tunnelbus.home}", home.toAbsolutePath().toString()));
            }
        }
        return home.resolve("users");
    }

    private void notes(Path home) {
        Path cfg = home.resolve("config").resolve(UserPassConfig.PID + ".cfg");
        if (!Files.exists(cfg)) {
            err.println("Note: username/password authentication is off until " + cfg + " exists "
                    + "(see docs/operations.md, 'Users')");
        }
    }

    private int usage(String why) {
        err.println("tunnelbus user: " + why);
        err.println(USAGE_LINE);
        return USAGE;
    }

    static UserCommand forTest(PrintStream out, PrintStream err, InputStream stdin) {
        return new UserCommand(out, err, new PasswordPrompt(null, stdin));
    }
}
