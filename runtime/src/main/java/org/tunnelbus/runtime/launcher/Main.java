package org.tunnelbus.runtime.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * {@code bin/tunnelbus start [--home DIR] [--console-port N] [--profile NAME]}: starts a Felix framework with the
 * bundles of one profile of the distribution and runs in the foreground until the framework stops (SIGINT/SIGTERM,
 * or {@code stop 0} in Gogo).
 *
 * <p>This is a launcher, not a resolver: the bundle sets were resolved at build time by bnd from the feature
 * profiles; this class installs exactly the jars of {@code DIST/bundles/} that the chosen profile
 * ({@link ProfileChoice}) lists, with the start levels it gave them, through the standard {@link FrameworkFactory}
 * API. A profile without the web console gets no console password, port check or console line.
 */
public final class Main {

    static final int DEFAULT_CONSOLE_PORT = 9780;
    static final String CONSOLE_HOST = "127.0.0.1";
    static final String CONSOLE_PATH = "/system/console";
    static final int DEFAULT_START_LEVEL = 10;
    static final String WEB_CONSOLE = "org.apache.felix.webconsole";
    private static final long CONSOLE_WAIT_MS = 60_000;
    private static final String LAUNCHER = "tunnelbus.launcher";

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    private Path dist;
    private Path home;
    private int consolePort = DEFAULT_CONSOLE_PORT;
    private String profileOption;
    private LogPrinter log;

    public static void main(String[] args) {
        int rc;
        try {
            rc = new Main().run(args);
        } catch (LauncherException e) {
            System.err.println("tunnelbus: " + e.getMessage());
            rc = 1;
        } catch (Exception e) {
            System.err.println("tunnelbus: " + LogPrinter.describe(e));
            if (Boolean.getBoolean("tunnelbus.log.stacktraces")) {
                e.printStackTrace();
            }
            rc = 1;
        }
        System.exit(rc);
    }

    int run(String[] args) throws Exception {
        parse(args);
        log = new LogPrinter(err, LogPrinter.parseLevel(System.getProperty("tunnelbus.log.level"), LogPrinter.Level.INFO),
                Boolean.getBoolean("tunnelbus.log.stacktraces"));

        Files.createDirectories(home);
        home = home.toRealPath();
        HomeLock.acquire(home);
        ProfileChoice choice = ProfileChoice.choose(profileOption, System.getProperty("tunnelbus.profile"), home,
                dist.resolve("etc"));
        Profile profile = Profile.read(choice.file(), DEFAULT_START_LEVEL);
        BundleSet bundles = BundleSet.scan(dist.resolve("bundles"), profile);
        boolean console = bundles.contains(WEB_CONSOLE);
        if (console) {
            checkPortFree(consolePort);
        }
        Path configDir = home.resolve("config");
        Path defaults = dist.resolve("config");
        if (HomeConfig.seed(defaults, configDir, profile)) {
            log.log(LogPrinter.Level.INFO, LAUNCHER, "Created " + configDir + " from the defaults in " + defaults
                    + " that profile " + profile.name() + " names (" + String.join(", ", profile.defaults()) + ")");
        }
        Files.createDirectories(home.resolve("modules")); // watched for module jars (config/org.apache.felix.fileinstall-modules.cfg)
        ConsolePassword password = console ? consolePassword() : null;

        configureSlf4jSimple();
        JulBridge.install(log);
        Map<String, Object> config = frameworkProperties(profile, bundles, configDir, password);

        FrameworkFactory factory = frameworkFactory();
        Framework framework = factory.newFramework(toStringKeyed(config));
        try {
            framework.init();
        } catch (BundleException | IllegalStateException e) {
            throw new LauncherException("cannot start the framework in " + home.resolve(".felix-cache") + ": "
                    + LogPrinter.describe(e));
        }
        BundleContext system = framework.getBundleContext();
        new OsgiLogForwarder(system, log, Boolean.getBoolean("tunnelbus.log.events")
                || Boolean.parseBoolean(system.getProperty("tunnelbus.log.events"))).open();
        try {
            bundles.apply(system, log);
        } catch (LauncherException e) {
            stopQuietly(framework);
            throw e;
        }

        CountDownLatch started = new CountDownLatch(1);
        system.addFrameworkListener(event -> {
            if (event.getType() == FrameworkEvent.STARTED) {
                started.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(framework), "tunnelbus-shutdown"));

        log.log(LogPrinter.Level.INFO, LAUNCHER, "Starting Tunnelbus (profile " + profile.name() + " from "
                + choice.source() + ", " + bundles.jars().size() + " bundles) in " + home);
        framework.start();

        Thread probe = new Thread(() -> announceReady(framework, started, console), "tunnelbus-ready-probe");
        probe.setDaemon(true);
        probe.start();

        FrameworkEvent stopped = framework.waitForStop(0);
        switch (stopped.getType()) {
            case FrameworkEvent.ERROR:
                log.log(System.currentTimeMillis(), LogPrinter.Level.ERROR, LAUNCHER, "framework stopped with an error", stopped.getThrowable());
                return 1;
            case FrameworkEvent.STOPPED_UPDATE:
            case FrameworkEvent.STOPPED_SYSTEM_REFRESHED:
                log.log(LogPrinter.Level.WARN, LAUNCHER, "the system bundle was updated or refreshed: stopping; start again to continue");
                return 0;
            default:
                return 0;
        }
    }

    // ---- command line --------------------------------------------------------------------------------

    private void parse(String[] args) throws LauncherException, URISyntaxException {
        if (args.length == 0 || !args[0].equals("start")) {
            throw new LauncherException(args.length == 0 ? "no command given; see 'tunnelbus --help'"
                    : "unknown command '" + args[0] + "'; see 'tunnelbus --help'");
        }
        String homeArg = null;
        String portArg = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String value = null;
            String opt = a;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                opt = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (opt) {
                case "--home":
                    homeArg = value != null ? value : next(args, ++i, opt);
                    break;
                case "--console-port":
                    portArg = value != null ? value : next(args, ++i, opt);
                    break;
                case "--profile":
                    profileOption = value != null ? value : next(args, ++i, opt);
                    break;
                default:
                    throw new LauncherException("unknown option '" + a + "'; see 'tunnelbus --help'");
            }
        }
        String distProp = System.getProperty("tunnelbus.dist");
        if (distProp != null && !distProp.isEmpty()) {
            dist = Path.of(distProp).toAbsolutePath().normalize();
        } else {
            // DIST/lib/tunnelbus-launcher.jar
            dist = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent().getParent();
        }
        if (homeArg == null || homeArg.isEmpty()) {
            String env = System.getenv("TUNNELBUS_HOME");
            homeArg = env != null && !env.isEmpty() ? env : dist.toString();
        }
        home = Path.of(homeArg).toAbsolutePath().normalize();
        if (portArg != null) {
            try {
                consolePort = Integer.parseInt(portArg.trim());
            } catch (NumberFormatException e) {
                consolePort = -1;
            }
            if (consolePort < 1 || consolePort > 65535) {
                throw new LauncherException("--console-port wants a TCP port number from 1 to 65535, not '" + portArg + "'");
            }
        }
    }

    private static String next(String[] args, int i, String opt) throws LauncherException {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new LauncherException(opt + " needs a value; see 'tunnelbus --help'");
        }
        return args[i];
    }

    // ---- checks and home preparation -----------------------------------------------------------------

    /** Fails with one clear line when something already listens on 127.0.0.1:PORT. */
    static void checkPortFree(int port) throws LauncherException, IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // as Jetty binds: a port in TIME_WAIT is free
            s.bind(new InetSocketAddress(InetAddress.getByName(CONSOLE_HOST), port));
        } catch (BindException e) {
            throw new LauncherException("console port " + port + " on " + CONSOLE_HOST
                    + " is already in use; choose another one with --console-port N");
        }
    }

    /** The web console password of the home: generated (and printed once) at the first start. */
    private ConsolePassword consolePassword() throws IOException, LauncherException {
        ConsolePassword password = ConsolePassword.loadOrCreate(home);
        if (password.generated()) {
            out.println("Generated web console password for user '" + ConsolePassword.USER + "': " + password.password()
                    + " (stored in " + password.file() + ")");
            out.flush();
        } else if (password.readableByOthers()) {
            log.log(LogPrinter.Level.WARN, LAUNCHER, password.file() + " is readable by other users; chmod 600 it");
        }
        return password;
    }

    // ---- framework -----------------------------------------------------------------------------------

    /**
     * Framework properties, lowest precedence first: the profile's {@code -runproperties}, then the
     * per-instance values, which a profile cannot override (cache, config folder, console address and
     * credentials: {@code password} null for a profile without the web console).
     */
    private Map<String, Object> frameworkProperties(Profile profile, BundleSet bundles, Path configDir, ConsolePassword password) {
        Map<String, Object> p = new HashMap<>(profile.runProperties());
        if (profile.systemPackages() != null) {
            p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, profile.systemPackages());
        }
        p.put(Constants.FRAMEWORK_STORAGE, home.resolve(".felix-cache").toString());
        p.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(bundles.highestStartLevel()));
        p.putIfAbsent("felix.log.level", "1");
        String level = System.getProperty("tunnelbus.log.level");
        if (level != null && !level.isBlank()) {
            // the Log Service drops entries below its root level before listeners see them
            p.put("org.osgi.service.log.admin.loglevel", LogPrinter.parseLevel(level, LogPrinter.Level.INFO).name());
        }
        p.put("felix.log.logger", new FrameworkLogger(log));

        p.put("tunnelbus.home", home.toString());
        p.put("tunnelbus.dist", dist.toString());
        p.put("tunnelbus.profile", profile.name());

        // FileInstall watches HOME/config
        p.put("felix.fileinstall.dir", configDir.toString());

        if (password != null) {
            // HTTP (Jetty 12) on loopback only; the web console with the generated password
            p.put("org.osgi.service.http.port", Integer.toString(consolePort));
            p.put("org.apache.felix.http.host", CONSOLE_HOST);
            p.put("org.apache.felix.https.enable", "false");
            p.put("felix.webconsole.username", ConsolePassword.USER);
            p.put("felix.webconsole.password", password.hashed());
        }

        // Gogo: without a terminal on stdin (service manager, background job) the shell must not read it,
        // or it stops the framework at end of input (stack-notes pitfall 10)
        p.put("gosh.args", interactive() ? "" : "--nointeractive");
        return p;
    }

    private static boolean interactive() {
        String prop = System.getProperty("tunnelbus.interactive");
        if (prop != null && !prop.isEmpty()) {
            return Boolean.parseBoolean(prop);
        }
        return System.console() != null;
    }

    /** slf4j-simple prints like {@link LogPrinter}; options given with -D (TUNNELBUS_OPTS) win. */
    static void configureSlf4jSimple() {
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", LogPrinter.TIME_PATTERN);
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showLogName", "true");
        setDefault("org.slf4j.simpleLogger.levelInBrackets", "false");
        setDefault("org.slf4j.simpleLogger.warnLevelString", "WARN");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static FrameworkFactory frameworkFactory() throws LauncherException {
        Iterator<FrameworkFactory> it = ServiceLoader.load(FrameworkFactory.class, Main.class.getClassLoader()).iterator();
        if (!it.hasNext()) {
            throw new LauncherException("no OSGi framework on the class path (lib/org.apache.felix.framework-*.jar is missing)");
        }
        return it.next();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, String> toStringKeyed(Map<String, Object> m) {
        // Felix takes non-String values (felix.log.logger) through the same map.
        return (Map) m;
    }

    private static void stopQuietly(Framework framework) {
        try {
            if ((framework.getState() & (org.osgi.framework.Bundle.ACTIVE | org.osgi.framework.Bundle.STARTING)) != 0) {
                framework.stop();
                framework.waitForStop(30_000);
            }
        } catch (BundleException | InterruptedException | RuntimeException e) {
            // stopping anyway
        }
    }

    // ---- the console line ----------------------------------------------------------------------------

    /**
     * Prints the one "ready" line once every start level is reached (and the web console answers, for a profile
     * that has it): what runs, where to look, how to stop it.
     */
    private void announceReady(Framework framework, CountDownLatch started, boolean console) {
        if (console && !announceConsole(framework, started)) {
            return;
        }
        try {
            if (!started.await(CONSOLE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long pid = ProcessHandle.current().pid();
        out.println("Ready: Tunnelbus runs in " + home + " (pid " + pid + "); 'tunnelbus status --home " + home
                + "' shows its clients; stop it with Ctrl-C or 'kill " + pid + "'");
        out.flush();
    }

    /**
     * Waits until every start level is reached and the console answers (401 without credentials: it is
     * registered and protected), then prints the one line with its address. Bounded: gives up after
     * {@link #CONSOLE_WAIT_MS} with an error line. Returns whether the console came up.
     */
    private boolean announceConsole(Framework framework, CountDownLatch started) {
        long deadline = System.currentTimeMillis() + CONSOLE_WAIT_MS;
        String url = "http://" + CONSOLE_HOST + ":" + consolePort + CONSOLE_PATH;
        try {
            started.await(CONSOLE_WAIT_MS, TimeUnit.MILLISECONDS);
            while (System.currentTimeMillis() < deadline) {
                if ((framework.getState() & (org.osgi.framework.Bundle.ACTIVE | org.osgi.framework.Bundle.STARTING)) == 0) {
                    return false;
                }
                int status = probe(url);
                if (status == 401) {
                    out.println("Web console: " + url);
                    out.flush();
                    return true;
                }
                Thread.sleep(250);
            }
            log.log(LogPrinter.Level.ERROR, LAUNCHER, "the web console did not come up at " + url + " within "
                    + CONSOLE_WAIT_MS / 1000 + " s; see the errors above");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static int probe(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            c.setInstanceFollowRedirects(false);
            try {
                return c.getResponseCode();
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return -1;
        }
    }
}
