package org.tunnelbus.importer.internal;

import java.util.LinkedHashMap;
import java.util.Map;

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
    private String profile = "server";

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
     * The profile the home runs (DIST/etc/NAME.bndrun; written to HOME/profile): it says which of the distribution's
     * default files a home without config/ gets first. {@code server} unless a mapper says otherwise.
     */
    void profile(String name) {
        profile = name;
    }

    String profile() {
        return profile;
    }
}
