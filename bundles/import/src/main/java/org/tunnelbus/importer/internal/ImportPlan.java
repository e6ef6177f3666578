package org.tunnelbus.importer.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What an import will write: configuration files (name in HOME/config -> ordered typed properties) and key
 * material (name in the import folder -> content, and whether it is secret), plus the report.
 */
final class ImportPlan {
    /** One configuration file: a header comment and typed values (String, Integer, Boolean, List of String). */
    record ConfigFile(String header, Map<String, Object> properties) { }

    /** One copied file of key material. */
    record Material(String name, String content, boolean secret) { }

    private final String name;
    private final Map<String, ConfigFile> configs = new LinkedHashMap<>();
    private final Map<String, Material> materials = new LinkedHashMap<>();
    private final Report report = new Report();
    private Predicate<String> seeded = file -> true;

    /** @param name the import's name: key material goes to HOME/import/NAME/ */
    ImportPlan(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    Report report() {
        return report;
    }

    /** The properties of {@code file}, created with {@code header} on first use. */
    Map<String, Object> config(String file, String header) {
        return configs.computeIfAbsent(file, f -> new ConfigFile(header, new LinkedHashMap<>())).properties();
    }

    Map<String, ConfigFile> configs() {
        return configs;
    }

    /** Adds a file of key material; returns the value a configuration property refers to it by. */
    String material(String file, String content, boolean secret) {
        materials.put(file, new Material(file, content, secret));
        return "${tunnelbus.home}/import/" + name + "/" + file;
    }

    Map<String, Material> materials() {
        return materials;
    }

    /**
     * Of the distribution's default files that a home without config/ gets first, only {@code files} (a client
     * home must not get the server's listener, device and push settings); by default all of them.
     */
    void seedOnly(Set<String> files) {
        seeded = Set.copyOf(files)::contains;
    }

    /** Whether a home without config/ gets the distribution's default file {@code file} first. */
    boolean seeds(String file) {
        return seeded.test(file);
    }
}
