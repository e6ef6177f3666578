package org.tunnelbus.config.files.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the files of {@code HOME/config} when they appear or change ({@link ConfigLint}): one WARN line per
 * finding, {@code FILE:LINE: what (valid choices)}. The first check waits a few seconds after start, so that the
 * modules a value may name have registered; then the folder is looked at every {@value #SCAN_SECONDS} s and a file
 * is checked again only when it changed.
 */
@Component(service = {}, immediate = true)
public final class ConfigFileCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileCheck.class);
    static final int FIRST_CHECK_SECONDS = 5;
    static final int SCAN_SECONDS = 3;

    private final BundleContext context;
    private final MetaTypeService metaType;
    private final Path dir;
    private final Map<Path, String> checked = new HashMap<>();
    private final ScheduledExecutorService scanner;

    @Activate
    public ConfigFileCheck(@Reference MetaTypeService metaType, BundleContext context) {
        this.context = context;
        this.metaType = metaType;
        this.dir = ConfigFileSync.configDir(context);
        this.scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tunnelbus-config-check");
            t.setDaemon(true);
            return t;
        });
        scanner.scheduleWithFixedDelay(this::scan, FIRST_CHECK_SECONDS, SCAN_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        scanner.shutdownNow();
    }

    private void scan() {
        try {
            Set<Path> seen = new HashSet<>();
            Map<String, Set<String>> pids = null;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.cfg")) {
                for (Path f : ds) {
                    seen.add(f);
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    String stamp = a.lastModifiedTime() + "/" + a.size() + "/" + a.fileKey();
                    if (stamp.equals(checked.get(f))) {
                        continue;
                    }
                    checked.put(f, stamp);
                    if (pids == null) {
                        pids = metatype();
                    }
                    check(f, pids);
                }
            }
            checked.keySet().retainAll(seen);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Checking {}: {}", dir, e.toString());
        }
    }

    private void check(Path f, Map<String, Set<String>> pids) throws IOException {
        String[] pid = ConfigFileNames.pidOf(f.getFileName().toString());
        String key = pid[1] != null ? pid[1] : pid[0];
        Set<String> attributes = pids.get(key);
        CfgFile file = CfgFile.parse(Files.readAllLines(f, StandardCharsets.ISO_8859_1));
        if (attributes == null && !managed(key)) {
            LOG.warn("{}: no installed module has the PID {}: this file configures nothing (a typo in its name, or "
                    + "a module that is not installed)", f, key);
        }
        List<ConfigLint.Finding> findings = ConfigLint.check(file, attributes, ModuleChoices.current(context),
                raw -> Values.meaning(raw, context::getProperty));
        for (ConfigLint.Finding finding : findings) {
            LOG.warn("{}:{}: {}", f, finding.line(), finding.message());
        }
    }

    /** Whether a ManagedService(Factory) without metatype takes {@code pid} (FileInstall's own watchers, say). */
    private boolean managed(String pid) {
        try {
            return context.getServiceReferences((String) null, "(service.pid=" + pid.replaceAll("([\\\\()*])", "\\\\$1") + ")") != null;
        } catch (org.osgi.framework.InvalidSyntaxException | IllegalStateException e) {
            return false;
        }
    }

    /** PID or factory PID to its properties, from the metatype of every bundle. */
    private Map<String, Set<String>> metatype() {
        Map<String, Set<String>> out = new HashMap<>();
        for (Bundle b : context.getBundles()) {
            MetaTypeInformation info;
            try {
                info = metaType.getMetaTypeInformation(b);
            } catch (IllegalArgumentException | IllegalStateException e) {
                continue;
            }
            if (info == null) {
                continue;
            }
            for (String p : info.getPids()) {
                out.put(p, attributes(info, p));
            }
            for (String p : info.getFactoryPids()) {
                out.put(p, attributes(info, p));
            }
        }
        return out;
    }

    private static Set<String> attributes(MetaTypeInformation info, String pid) {
        Set<String> ids = new HashSet<>();
        try {
            ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
            AttributeDefinition[] ads = ocd == null ? null : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
            for (AttributeDefinition ad : ads == null ? new AttributeDefinition[0] : ads) {
                ids.add(ad.getID());
            }
        } catch (IllegalArgumentException e) {
            // no definition for the default locale
        }
        return ids;
    }
}
