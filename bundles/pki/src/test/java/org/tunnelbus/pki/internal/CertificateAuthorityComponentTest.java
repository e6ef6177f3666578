package org.tunnelbus.pki.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelbus.pki.PkiException;

class CertificateAuthorityComponentTest {
    @TempDir
    Path tmp;

    /** A configuration as SCR builds it: the given properties (by attribute name, '_' for '.') over the defaults. */
    static PkiConfig config(Map<String, Object> values) {
        return (PkiConfig) Proxy.newProxyInstance(PkiConfig.class.getClassLoader(), new Class<?>[] {PkiConfig.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("annotationType")) {
                        return PkiConfig.class;
                    }
                    Object v = values.get(m.getName().replace('_', '.'));
                    return v != null ? v : m.getDefaultValue();
                });
    }

    @Test
    void firstStartCreatesTheCaUnderHomePki() throws Exception {
        CertificateAuthorityComponent c = new CertificateAuthorityComponent(config(Map.of()), tmp.toString(), Map.of());
        assertEquals(tmp.resolve("pki/ca.crt"), c.caCertificateFile());
        assertTrue(Files.exists(c.caCertificateFile()));
        assertTrue(Files.exists(c.crlFile()));
        assertEquals("alice", c.issueClient("alice").name());
    }

    @Test
    void firstStartIssuesTheServerCertificateOnceAndAnEmptyNameIssuesNone() throws Exception {
        CertificateAuthorityComponent c = new CertificateAuthorityComponent(config(Map.of()), tmp.toString(), Map.of());
        Path cert = tmp.resolve("pki/issued/server.crt");
        Path key = tmp.resolve("pki/private/server.key");
        assertTrue(Files.exists(cert) && Files.exists(key));
        String serial = c.find("server").orElseThrow().certificate().getSerialNumber().toString(16);
        // a restart on the same home keeps it
        CertificateAuthorityComponent again = new CertificateAuthorityComponent(config(Map.of()), tmp.toString(), Map.of());
        assertEquals(serial, again.find("server").orElseThrow().certificate().getSerialNumber().toString(16));
        // the name is configurable, and empty issues none
        Path other = tmp.resolve("other");
        new CertificateAuthorityComponent(config(Map.of("server.name", "vpn.example.org", "state.dir", other.toString())),
                tmp.toString(), Map.of());
        assertTrue(Files.exists(other.resolve("issued/vpn.example.org.crt")));
        Path none = tmp.resolve("none");
        CertificateAuthorityComponent n = new CertificateAuthorityComponent(
                config(Map.of("server.name", "", "state.dir", none.toString())), tmp.toString(), Map.of());
        assertTrue(n.find("server").isEmpty());
        assertTrue(Files.exists(none.resolve("ca.crt")));
    }

    @Test
    void anInvalidFirstConfigurationFailsActivationNamingPidAndProperty() {
        PkiException e = assertThrows(PkiException.class,
                () -> new CertificateAuthorityComponent(config(Map.of("cert.validity.days", 0)), tmp.toString(), Map.of()));
        assertEquals("Refused configuration org.tunnelbus.pki: property cert.validity.days: must be at least 1, was 0",
                e.getMessage());
    }

    @Test
    void anInvalidChangeKeepsThePreviousConfiguration() throws Exception {
        CertificateAuthorityComponent c = new CertificateAuthorityComponent(config(Map.of()), tmp.toString(), Map.of());
        Path before = c.caCertificateFile();
        c.modified(config(Map.of("ca.name", " ")), Map.of("felix.fileinstall.filename", "file:/etc/org.tunnelbus.pki.cfg"));
        assertEquals(before, c.caCertificateFile());
        // an unusable directory is refused too: a regular file where the directory should be
        Path file = Files.createFile(tmp.resolve("not-a-dir"));
        c.modified(config(Map.of("state.dir", file.toString())), Map.of());
        assertEquals(before, c.caCertificateFile());
        // a good change applies
        c.modified(config(Map.of("state.dir", tmp.resolve("other").toString())), Map.of());
        assertEquals(tmp.resolve("other/ca.crt"), c.caCertificateFile());
        assertTrue(Files.exists(c.caCertificateFile()));
    }
}
