package org.tunnelbus.config.files.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code HOME/config} the source of truth: every configuration change that did not come from a file (the
 * web console's forms, a module's own update) is written back to the configuration's file, and the configuration
 * keeps (or gets back) {@code felix.fileinstall.filename}, which the web console drops when it saves a form.
 *
 * <p>Only what changed is rewritten: comments, order, and {@code ${...}} placeholders of unchanged values stay
 * ({@link CfgFile}); the file is replaced atomically. FileInstall then reads the file back and finds the
 * configuration equal, so the two converge after one round. A configuration made in the console gets a new
 * file ({@code PID.cfg}; a factory one {@code FACTORYPID-NAME.cfg}, whose FileInstall configuration replaces the
 * console's); one deleted in the console loses its file.
 *
 * <p>FileInstall's own write-back ({@code felix.fileinstall.enableConfigSave}) is off in the profiles: it rewrites
 * whole files in its typed syntax and writes placeholders out resolved.
 */
@Component(service = ConfigurationListener.class, immediate = true)
public final class ConfigFileSync implements ConfigurationListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileSync.class);
    static final String FILENAME = "felix.fileinstall.filename";

    private final ConfigurationAdmin admin;
    private final BundleContext context;
    private final Path dir;
    private final Map<String, Path> files = new ConcurrentHashMap<>();

    @Activate
    public ConfigFileSync(@Reference ConfigurationAdmin admin, BundleContext context) {
        this.admin = admin;
        this.context = context;
        this.dir = configDir(context);
        try {
            Configuration[] all = admin.listConfigurations(null);
            for (Configuration c : all == null ? new Configuration[0] : all) {
                Path f = fileOf(c.getProperties());
                if (f != null) {
                    files.put(c.getPid(), f);
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot list the configurations: {}", e.getMessage());
        }
        LOG.info("Configuration files: {} (changes made in the web console are written back)", dir);
    }

    static Path configDir(BundleContext context) {
        String d = context.getProperty("felix.fileinstall.dir");
        if (d != null && !d.isBlank()) {
            return Paths.get(d).toAbsolutePath().normalize();
        }
        String home = context.getProperty("tunnelbus.home");
        return Paths.get(home == null ? System.getProperty("user.dir") : home, "config").toAbsolutePath().normalize();
    }

    private Path fileOf(Dictionary<String, ?> props) {
        Object f = props == null ? null : props.get(FILENAME);
        if (f == null) {
            return null;
        }
        try {
            Path p = f.toString().startsWith("file:") ? Paths.get(URI.create(f.toString())) : Paths.get(f.toString());
            return p.toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        try {
            switch (event.getType()) {
                case ConfigurationEvent.CM_UPDATED -> updated(event.getPid(), event.getFactoryPid());
                case ConfigurationEvent.CM_DELETED -> deleted(event.getPid());
                default -> { }
            }
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            LOG.error("Cannot write configuration {} back to its file: {}", event.getPid(), e.getMessage());
        }
    }

    private void updated(String pid, String factoryPid) throws IOException, InvalidSyntaxException {
        Configuration c = find(pid);
        if (c == null || c.getProperties() == null) {
            return;
        }
        Dictionary<String, Object> props = c.getProperties();
        Path file = fileOf(props);
        boolean lostName = file == null;
        if (file == null) {
            file = files.get(pid);
        }
        if (file == null) {
            file = ConfigFileNames.forPid(dir, pid, factoryPid);
        }
        if (file == null) {
            adoptConsoleFactoryConfig(c, factoryPid);
            return;
        }
        if (!file.startsWith(dir)) {
            return; // a file FileInstall watches elsewhere: not ours
        }
        files.put(pid, file);
        write(file, Values.plain(props), pid);
        if (lostName) {
            props.put(FILENAME, file.toUri().toString());
            c.updateIfDifferent(props);
            LOG.debug("Configuration {}: {} restored", pid, FILENAME);
        }
    }

    /**
     * A factory configuration made in the web console: written to a new file, which FileInstall turns into its
     * own configuration; the console's copy is deleted so that there is one instance, the file's.
     */
    private void adoptConsoleFactoryConfig(Configuration c, String factoryPid) throws IOException {
        Path file = ConfigFileNames.forNewFactoryConfig(dir, c.getPid(), factoryPid);
        if (Files.exists(file)) {
            LOG.warn("Configuration {} made in the web console: {} exists already; not replacing it", c.getPid(), file);
            return;
        }
        write(file, Values.plain(c.getProperties()), c.getPid());
        LOG.info("Configuration {} made in the web console is now the file {} (configuration {}~{})", c.getPid(), file,
                factoryPid, file.getFileName().toString().replaceFirst("^" + java.util.regex.Pattern.quote(factoryPid) + "-", "")
                        .replaceFirst("\\.cfg$", ""));
        c.delete();
    }

    private void write(Path file, Map<String, String> wanted, String pid) throws IOException {
        List<String> old = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.ISO_8859_1) : new ArrayList<>();
        if (old.isEmpty()) {
            old.add("# PID " + pid + ", written from a change made in the web console");
        }
        List<String> next = CfgFile.parse(old).with(wanted, raw -> Values.meaning(raw, context::getProperty));
        if (next.equals(old) && Files.exists(file)) {
            return;
        }
        Path tmp = dir.getParent().resolve("." + file.getFileName() + ".tmp"); // outside config/: never half read
        Files.write(tmp, next, StandardCharsets.ISO_8859_1);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Configuration {} written back to {}", pid, file);
    }

    private void deleted(String pid) throws IOException {
        Path file = files.remove(pid);
        if (file != null && Files.exists(file) && file.startsWith(dir)) {
            Files.delete(file);
            LOG.info("Configuration {} deleted: removed {}", pid, file);
        }
    }

    private Configuration find(String pid) throws IOException, InvalidSyntaxException {
        Configuration[] found = admin.listConfigurations("(service.pid=" + pid.replaceAll("([\\\\()*])", "\\\\$1") + ")");
        return found == null || found.length == 0 ? null : found[0];
    }
}
