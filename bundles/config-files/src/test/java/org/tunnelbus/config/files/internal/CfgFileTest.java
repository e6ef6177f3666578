package org.tunnelbus.config.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

class CfgFileTest {
    private static final UnaryOperator<String> MEANING = raw -> Values.meaning(raw,
            name -> name.equals("tunnelbus.home") ? "/srv/tb" : null);

    private static final List<String> LISTENER = List.of(
            "# The default listener",
            "listen = 0.0.0.0",
            "port = 1194",
            "",
            "# files",
            "ca = ${tunnelbus.home}/pki/ca.crt",
            "tls.provider = bouncycastle");

    @Test
    void aConsoleEditChangesOnlyTheLineWhoseMeaningChanged() {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("listen", "0.0.0.0");
        wanted.put("port", "1194");
        wanted.put("ca", "/srv/tb/pki/ca.crt"); // what Config Admin holds: the placeholder resolved
        wanted.put("tls.provider", "jsse");
        assertEquals(List.of("# The default listener", "listen = 0.0.0.0", "port = 1194", "", "# files",
                "ca = ${tunnelbus.home}/pki/ca.crt", "tls.provider = jsse"), CfgFile.parse(LISTENER).with(wanted, MEANING));
    }

    @Test
    void removedKeysLoseTheirLinesAndNewKeysAreAppended() {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("port", "1195");
        wanted.put("ca", "/srv/tb/pki/ca.crt");
        wanted.put("tls.provider", "bouncycastle");
        wanted.put("max.clients", "10");
        assertEquals(List.of("# The default listener", "port = 1195", "", "# files", "ca = ${tunnelbus.home}/pki/ca.crt",
                "tls.provider = bouncycastle", "max.clients = 10"), CfgFile.parse(LISTENER).with(wanted, MEANING));
    }

    @Test
    void anUnchangedConfigurationLeavesTheFileAsItIs() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("listen", "0.0.0.0");
        props.put("port", 1194); // typed by the console
        props.put("ca", "/srv/tb/pki/ca.crt");
        props.put("tls.provider", "bouncycastle");
        props.put("service.pid", "org.tunnelbus.openvpn.server~default");
        props.put("felix.fileinstall.filename", "file:/srv/tb/config/org.tunnelbus.openvpn.server-default.cfg");
        assertEquals(LISTENER, CfgFile.parse(LISTENER).with(Values.plain(props), MEANING));
    }

    @Test
    void fileInstallsTypedSyntaxAndContinuationLinesAreRead() {
        List<String> typed = List.of("keepalive.ping = I\"16\"", "topology = \"subnet\"", "push = [ \\", "  \"\", \\",
                "  \"route 10.1.0.0 255.255.0.0\", \\", "  ]");
        CfgFile f = CfgFile.parse(typed);
        assertEquals(3, f.entries().size());
        Map<String, String> v = f.values();
        assertEquals("16", MEANING.apply(v.get("keepalive.ping")));
        assertEquals("subnet", MEANING.apply(v.get("topology")));
        assertEquals("route 10.1.0.0 255.255.0.0", MEANING.apply(v.get("push")));
        assertEquals(3, f.entries().get(2).line());
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("keepalive.ping", "20");
        wanted.put("topology", "subnet");
        wanted.put("push", "route 10.1.0.0 255.255.0.0");
        assertEquals(List.of("keepalive.ping = 20", "topology = \"subnet\"", "push = [ \\", "  \"\", \\",
                "  \"route 10.1.0.0 255.255.0.0\", \\", "  ]"), f.with(wanted, MEANING));
    }

    @Test
    void arraysAreWrittenAsCommaListsAndSpecialCharactersEscaped() {
        assertEquals("a,b", Values.plain(new String[] {"a", "", "b"}));
        assertEquals("", Values.plain(new String[] {""}));
        assertEquals("key = a\\\\b = c", CfgFile.line("key", "a\\b = c"));
        assertEquals("a\\b = c", MEANING.apply("a\\\\b = c"));
        assertEquals("x\\:y = \\#z", CfgFile.line("x:y", "#z"));
    }

    @Test
    void lintNamesTheLineAndTheValidChoices() {
        List<String> lines = List.of("# listener", "port = 1194", "tls.provder = jsse", "tls.provider = wolfssl",
                "this line is broken", "auth.required = cert,ldap");
        List<ConfigLint.Finding> f = ConfigLint.check(CfgFile.parse(lines),
                Set.of("port", "tls.provider", "auth.required", "listen"),
                Map.of("tls.provider", Set.of("bouncycastle", "jsse"), "auth.required", Set.of("cert", "userpass")), MEANING);
        assertEquals(List.of(
                new ConfigLint.Finding(3, "unknown property 'tls.provder', did you mean 'tls.provider'? (valid: auth.required, "
                        + "listen, port, tls.provider)"),
                new ConfigLint.Finding(4, "'tls.provider = wolfssl' names no installed module (installed: bouncycastle, jsse)"),
                new ConfigLint.Finding(5, "cannot read 'this line is broken': expected 'key = value'"),
                new ConfigLint.Finding(6, "'auth.required = ldap' names no installed module (installed: cert, userpass)")), f);
    }

    @Test
    void fileNamesMapToPidsAsFileInstallNamesThem() {
        assertEquals(List.of("org.tunnelbus.openvpn.server~tcp", "org.tunnelbus.openvpn.server"),
                List.of(ConfigFileNames.pidOf("org.tunnelbus.openvpn.server-tcp.cfg")));
        assertEquals("org.tunnelbus.handshake", ConfigFileNames.pidOf("org.tunnelbus.handshake.cfg")[0]);
        assertEquals(java.nio.file.Path.of("/c/org.tunnelbus.openvpn.server-tcp.cfg"),
                ConfigFileNames.forPid(java.nio.file.Path.of("/c"), "org.tunnelbus.openvpn.server~tcp", "org.tunnelbus.openvpn.server"));
        assertEquals(null, ConfigFileNames.forPid(java.nio.file.Path.of("/c"), "org.tunnelbus.openvpn.server.1a2b3c",
                "org.tunnelbus.openvpn.server"));
        assertEquals(java.nio.file.Path.of("/c/org.tunnelbus.openvpn.server-1a2b3c4d.cfg"), ConfigFileNames.forNewFactoryConfig(
                java.nio.file.Path.of("/c"), "org.tunnelbus.openvpn.server.1a2b3c4d-5e6f", "org.tunnelbus.openvpn.server"));
    }
}
