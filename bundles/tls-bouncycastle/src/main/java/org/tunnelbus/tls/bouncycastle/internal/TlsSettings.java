package org.tunnelbus.tls.bouncycastle.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;

/**
 * A validated snapshot of the TLS configuration ({@link BcTlsConfig}); engines take the snapshot that is
 * current when they are created.
 *
 * @param minVersion   {@code "1.2"} or {@code "1.3"}
 * @param maxVersion   {@code "1.2"} or {@code "1.3"}, not below {@code minVersion}
 * @param cipherSuites allowed suites by IANA name, preferred first (never empty)
 */
public record TlsSettings(String minVersion, String maxVersion, List<String> cipherSuites) {
    /** TLS 1.3 suites, in OpenSSL's default order. */
    static final List<String> TLS13_SUITES = List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_GCM_SHA256");
    /** TLS 1.2 suites: ECDHE with an AEAD only (forward secrecy, no CBC). */
    static final List<String> TLS12_SUITES = List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

    public TlsSettings {
        minVersion = version("tls.min.version", minVersion);
        maxVersion = version("tls.max.version", maxVersion);
        if (minVersion.compareTo(maxVersion) > 0) {
            throw new IllegalArgumentException("tls.min.version " + minVersion + " is above tls.max.version "
                    + maxVersion);
        }
        Set<String> suites = new LinkedHashSet<>();
        for (String s : cipherSuites == null || cipherSuites.isEmpty() ? defaultSuites() : cipherSuites) {
            String name = s.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!TLS13_SUITES.contains(name) && !TLS12_SUITES.contains(name)) {
                throw new IllegalArgumentException("tls.cipher.suites: '" + name + "' is not a supported suite; "
                        + "supported: " + String.join(", ", defaultSuites()));
            }
            suites.add(name);
        }
        boolean any13 = suites.stream().anyMatch(TLS13_SUITES::contains);
        boolean any12 = suites.stream().anyMatch(TLS12_SUITES::contains);
        if (!(maxVersion.equals("1.3") && any13 || minVersion.equals("1.2") && any12)) {
            throw new IllegalArgumentException("tls.cipher.suites: no suite for TLS " + minVersion + ".." + maxVersion
                    + " in " + suites);
        }
        cipherSuites = List.copyOf(suites);
    }

    /** TLS 1.2 to 1.3, the built-in suites. */
    public static TlsSettings defaults() {
        return new TlsSettings("1.2", "1.3", List.of());
    }

    /** Reads and validates a configuration. @throws IllegalArgumentException naming the property */
    static TlsSettings from(BcTlsConfig config) {
        return new TlsSettings(config.tls_min_version(), config.tls_max_version(), List.of(config.tls_cipher_suites()));
    }

    /** The same settings with another version range. */
    public TlsSettings withVersions(String min, String max) {
        return new TlsSettings(min, max, cipherSuites);
    }

    /** The lowest version a session may use: the higher of this configuration's and the session's minimum. */
    String effectiveMin(String sessionMin) {
        String s = sessionMin == null || sessionMin.isBlank() ? "1.2" : version("TlsSpec.minVersion", sessionMin);
        return s.compareTo(minVersion) > 0 ? s : minVersion;
    }

    /** Bouncy Castle protocol versions from {@code min} to {@link #maxVersion}, highest first. */
    ProtocolVersion[] protocols(String min) {
        List<ProtocolVersion> p = new ArrayList<>();
        if (maxVersion.equals("1.3")) {
            p.add(ProtocolVersion.TLSv13);
        }
        if (min.equals("1.2")) {
            p.add(ProtocolVersion.TLSv12);
        }
        return p.toArray(ProtocolVersion[]::new);
    }

    /** The allowed suites' code points, preferred first; with {@code keyAlgorithm} (a server's key: "EC",
     * "RSA", "EdDSA"...) the TLS 1.2 suites whose authentication does not fit that key are left out. */
    int[] suiteCodes(String keyAlgorithm) {
        return cipherSuites.stream()
                .filter(n -> keyAlgorithm == null || TLS13_SUITES.contains(n) || fits(n, keyAlgorithm))
                .mapToInt(CODES::get).toArray();
    }

    private static boolean fits(String suite, String keyAlgorithm) {
        boolean rsa = keyAlgorithm.equalsIgnoreCase("RSA") || keyAlgorithm.equalsIgnoreCase("RSASSA-PSS");
        return suite.contains("_RSA_") == rsa;
    }

    /** The IANA name of a suite code point. */
    static String name(int code) {
        for (var e : CODES.entrySet()) {
            if (e.getValue() == code) {
                return e.getKey();
            }
        }
        return String.format("0x%04X", code);
    }

    private static final Map<String, Integer> CODES = Map.of(
            "TLS_AES_256_GCM_SHA384", CipherSuite.TLS_AES_256_GCM_SHA384,
            "TLS_CHACHA20_POLY1305_SHA256", CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            "TLS_AES_128_GCM_SHA256", CipherSuite.TLS_AES_128_GCM_SHA256,
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);

    private static List<String> defaultSuites() {
        List<String> all = new ArrayList<>(TLS13_SUITES);
        all.addAll(TLS12_SUITES);
        return all;
    }

    private static String version(String property, String value) {
        String v = value == null ? "" : value.trim();
        if (v.startsWith("TLSv")) {
            v = v.substring(4);
        }
        if (!v.equals("1.2") && !v.equals("1.3")) {
            throw new IllegalArgumentException(property + ": '" + value + "' is not 1.2 or 1.3");
        }
        return v;
    }
}
