package org.tunnelbus.pki.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;
import org.tunnelbus.pki.PkiException;

/**
 * {@code bin/tunnelbus profile NAME [--home DIR] [--listener LISTENER]}: issues the client certificate of NAME
 * (once: a name that already has a valid certificate gets a profile with that one) from the instance's CA and
 * prints a complete OpenVPN client profile to stdout, for {@code openvpn --config NAME.ovpn}.
 *
 * <p>Runs outside the framework, on the pki bundle and Bouncy Castle jars of the distribution. Everything comes
 * from the instance's home, as the running server sees it:
 * <ul>
 * <li>the CA: {@code HOME/pki} (or {@code state.dir} of {@code HOME/config/org.tunnelbus.pki.cfg});</li>
 * <li>the listener: a factory configuration {@code HOME/config/org.tunnelbus.openvpn.server-LISTENER.cfg}
 * (the only one, else {@code default}, else {@code --listener}): {@code public.address} ({@code HOST} or
 * {@code HOST:PORT}, the {@code remote} line; empty: the {@code listen} address, else an address of this machine),
 * {@code port}, {@code proto}, {@code cert} (its CN becomes {@code verify-x509-name}), {@code tls.crypt} or
 * {@code tls.auth} with {@code tls.auth.direction} and {@code auth} (the key file, inline). {@code ${name}} in
 * values is replaced as FileInstall does it for the running server ({@code tunnelbus.home}, system
 * properties).</li>
 * </ul>
 * Exit status: 0 printed; 1 an error (one line on stderr naming the file or setting); 64 bad usage.
 */
public final class ProfileCommand {
    static final String LISTENER_FACTORY_PID = "org.tunnelbus.openvpn.server";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)\\}");

    private final PrintStream out;
    private final PrintStream err;

    ProfileCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new ProfileCommand(System.out, System.err).run(args));
    }

    /** A failure reported as one line. */
    static final class CommandException extends Exception {
        private static final long serialVersionUID = 1L;

        CommandException(String message) {
            super(message);
        }
    }

    int run(String[] args) {
        String name = null;
        String home = System.getenv("TUNNELBUS_HOME");
        String listener = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--home") || a.equals("--listener")) && i + 1 < args.length) {
                if (a.equals("--home")) {
                    home = args[++i];
                } else {
                    listener = args[++i];
                }
            } else if (a.startsWith("--home=")) {
                home = a.substring("--home=".length());
            } else if (a.startsWith("--listener=")) {
                listener = a.substring("--listener=".length());
            } else if (a.startsWith("-") || name != null) {
                err.println("tunnelbus profile: unexpected argument '" + a + "'; usage: tunnelbus profile NAME [--home DIR] "
                        + "[--listener NAME]");
                return 64;
            } else {
                name = a;
            }
        }
        if (name == null) {
            err.println("tunnelbus profile: which client? usage: tunnelbus profile NAME [--home DIR] [--listener NAME]");
            return 64;
        }
        if (home == null || home.isBlank()) {
            err.println("tunnelbus profile: no home: give --home DIR (or set TUNNELBUS_HOME)");
            return 64;
        }
        try {
            out.print(profile(Paths.get(home).toAbsolutePath().normalize(), name, listener));
            out.flush();
            return 0;
        } catch (CommandException e) {
            err.println("tunnelbus profile: " + e.getMessage());
            return 1;
        } catch (PkiException e) {
            err.println("tunnelbus profile: " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("tunnelbus profile: " + e);
            return 1;
        }
    }

    /** The profile of {@code name} for the instance in {@code home}; issues its certificate if it has none. */
    String profile(Path home, String name, String listenerName) throws CommandException, IOException {
        Path configDir = home.resolve("config");
        if (!Files.isDirectory(configDir)) {
            throw new CommandException("no configuration in " + configDir + ": is " + home + " a Tunnelbus home? Start "
                    + "the server once with 'tunnelbus start --home " + home + "'");
        }
        Map<String, String> vars = Map.of("tunnelbus.home", home.toString());

        // the listener
        Path listenerFile = listenerFile(configDir, listenerName);
        Map<String, String> l = readConfig(listenerFile, vars);
        String proto = l.getOrDefault("proto", "udp").trim().toLowerCase();
        if (proto.endsWith("4") || proto.endsWith("6")) {
            proto = proto.substring(0, proto.length() - 1);
        }
        if (proto.startsWith("tcp")) {
            proto = "tcp";
        }
        int port = intValue(l, "port", 1194, listenerFile);
        Remote remote = remote(l, port, listenerFile);
        String tlsCrypt = l.getOrDefault("tls.crypt", "").trim();
        String tlsAuth = l.getOrDefault("tls.auth", "").trim();
        String keyPem = null;
        String keyDirection = null;
        String authDigest = null;
        if (!tlsCrypt.isEmpty()) {
            keyPem = staticKey(Paths.get(tlsCrypt), "tls.crypt", listenerFile);
        } else if (!tlsAuth.isEmpty()) {
            keyPem = staticKey(Paths.get(tlsAuth), "tls.auth", listenerFile);
            // the client uses the other direction of the key; a bidirectional server key stays bidirectional
            switch (l.getOrDefault("tls.auth.direction", "").trim()) {
                case "0" -> keyDirection = "1";
                case "1" -> keyDirection = "0";
                case "" -> keyDirection = "";
                default -> throw new CommandException(listenerFile + ": tls.auth.direction '"
                        + l.get("tls.auth.direction") + "' is not 0, 1 or empty");
            }
            String auth = l.getOrDefault("auth", "SHA1").trim().toUpperCase();
            authDigest = auth.isEmpty() || auth.equals("SHA1") ? null : auth;
        }
        String serverName = serverName(l.getOrDefault("cert", "").trim());

        CertificateAuthority ca = homeCa(home, vars);
        Optional<IssuedCertificate> existing = ca.find(name);
        IssuedCertificate cert;
        if (existing.isPresent()) {
            cert = existing.get();
            if (!isClientCertificate(cert.certificate())) {
                throw new CommandException(name + " is the name of a certificate that is not a client certificate ("
                        + cert.certificateFile() + "); choose another name");
            }
            err.println("tunnelbus profile: " + name + " already has a certificate (serial "
                    + cert.certificate().getSerialNumber().toString(16) + ", valid until "
                    + cert.certificate().getNotAfter().toInstant() + "); this profile uses it");
        } else {
            cert = ca.issueClient(name);
            err.println("tunnelbus profile: issued a client certificate for " + name + " (serial "
                    + cert.certificate().getSerialNumber().toString(16) + ", valid until "
                    + cert.certificate().getNotAfter().toInstant() + ")");
        }
        if (remote.note != null) {
            err.println("tunnelbus profile: " + remote.note);
        }

        List<String> comments = new ArrayList<>();
        comments.add("Tunnelbus client profile for " + name + ", " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ".");
        comments.add("Connect with the stock client: openvpn --config " + name + ".ovpn");
        comments.add("It holds the private key of " + name + ": keep it private. Certificate serial "
                + cert.certificate().getSerialNumber().toString(16) + ", valid until "
                + cert.certificate().getNotAfter().toInstant() + ".");
        comments.add("");
        comments.add("The 'remote' line is the listener's public.address in");
        comments.add("  " + listenerFile);
        comments.add("(change it there, or in the web console's configuration of "
                + LISTENER_FACTORY_PID + ", and make a new profile).");
        return new ClientProfile(cert, remote.host, remote.port, proto, serverName, keyPem, keyDirection, authDigest,
                comments).format();
    }

    // ------------------------------------------------------------------------------------------ the listener

    static Path listenerFile(Path configDir, String listenerName) throws CommandException, IOException {
        if (listenerName != null) {
            for (String ext : new String[] {".cfg", ".config"}) {
                Path f = configDir.resolve(LISTENER_FACTORY_PID + "-" + listenerName + ext);
                if (Files.exists(f)) {
                    return f;
                }
            }
            throw new CommandException("no listener '" + listenerName + "': " + configDir.resolve(LISTENER_FACTORY_PID
                    + "-" + listenerName + ".cfg") + " does not exist");
        }
        Map<String, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(configDir, LISTENER_FACTORY_PID + "-*.{cfg,config}")) {
            for (Path f : ds) {
                String n = f.getFileName().toString();
                found.put(n.substring(LISTENER_FACTORY_PID.length() + 1, n.lastIndexOf('.')), f);
            }
        }
        if (found.isEmpty()) {
            throw new CommandException("no OpenVPN listener configured: " + configDir + " has no "
                    + LISTENER_FACTORY_PID + "-NAME.cfg");
        }
        if (found.size() == 1) {
            return found.values().iterator().next();
        }
        if (found.containsKey("default")) {
            return found.get("default");
        }
        throw new CommandException("several OpenVPN listeners " + found.keySet() + " in " + configDir
                + ": choose one with --listener NAME");
    }

    record Remote(String host, int port, String note) {
    }

    static Remote remote(Map<String, String> l, int port, Path file) throws CommandException {
        String pub = l.getOrDefault("public.address", "").trim();
        if (!pub.isEmpty()) {
            String host = pub;
            int p = port;
            Matcher v6 = Pattern.compile("\\[([0-9A-Fa-f:.]+)\\](?::(\\d+))?").matcher(pub);
            if (v6.matches()) {
                host = v6.group(1);
                if (v6.group(2) != null) {
                    p = Integer.parseInt(v6.group(2));
                }
            } else if (pub.indexOf(':') > 0 && pub.indexOf(':') == pub.lastIndexOf(':')) {
                host = pub.substring(0, pub.indexOf(':'));
                try {
                    p = Integer.parseInt(pub.substring(pub.indexOf(':') + 1));
                } catch (NumberFormatException e) {
                    throw new CommandException(file + ": public.address '" + pub + "' is not HOST or HOST:PORT");
                }
            }
            if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '#' || c == ';')) {
                throw new CommandException(file + ": public.address '" + pub + "' is not HOST or HOST:PORT");
            }
            if (p < 1 || p > 65535) {
                throw new CommandException(file + ": public.address '" + pub + "' has no valid port");
            }
            return new Remote(host, p, null);
        }
        String local = l.getOrDefault("listen", l.getOrDefault("local", "")).trim();
        if (!local.isEmpty() && !local.equals("0.0.0.0") && !local.equals("::") && !local.equals("[::]")) {
            return new Remote(local, port, "no public.address in " + file + "; the remote line uses the listener's "
                    + "local address " + local + " (set public.address there to what clients must connect to)");
        }
        String host = firstGlobalAddress();
        if (host == null) {
            throw new CommandException("no public.address in " + file + " and this machine has no non-loopback "
                    + "address to offer: set public.address to the host name or address clients connect to");
        }
        return new Remote(host, port, "no public.address in " + file + "; the remote line uses " + host
                + ", an address of this machine (set public.address there to what clients must connect to)");
    }

    private static String firstGlobalAddress() {
        try {
            for (java.net.NetworkInterface ni : Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback() || ni.isPointToPoint()) {
                    continue;
                }
                for (java.net.InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (java.net.SocketException e) {
            // none
        }
        return null;
    }

    static String staticKey(Path file, String property, Path listenerFile) throws CommandException, IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new CommandException("the " + property + " key " + file + " (" + listenerFile + ") does not exist yet: "
                    + "the server creates it when its listener starts; start it once with 'tunnelbus start'");
        }
        int begin = text.indexOf("-----BEGIN OpenVPN Static key V1-----");
        int end = text.indexOf("-----END OpenVPN Static key V1-----");
        if (begin < 0 || end < begin) {
            throw new CommandException("the " + property + " key " + file + " is not an OpenVPN static key (no "
                    + "-----BEGIN OpenVPN Static key V1----- block)");
        }
        return text.substring(begin, end + "-----END OpenVPN Static key V1-----".length());
    }

    /** The CN of the server certificate, for verify-x509-name; null when it cannot be read. */
    static String serverName(String certFile) {
        if (certFile.isEmpty()) {
            return null;
        }
        try (InputStream in = Files.newInputStream(Paths.get(certFile))) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            String cn = null;
            for (Rdn rdn : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    // getRdns() runs from the most significant RDN on: the last CN wins, as OpenVPN takes it
                    cn = rdn.getValue().toString();
                }
            }
            return cn != null && cn.matches("[A-Za-z0-9._@-]+") ? cn : null;
        } catch (IOException | CertificateException | InvalidNameException | ClassCastException e) {
            return null;
        }
    }

    static boolean isClientCertificate(X509Certificate c) {
        try {
            List<String> eku = c.getExtendedKeyUsage();
            return eku != null && eku.contains(CLIENT_AUTH);
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------ config files

    /**
     * A configuration file as FileInstall reads it: {@code .cfg} as {@link Properties}, {@code .config} in the
     * Felix typed format (only scalar values: {@code key = "value"}, {@code key = I"1194"}, {@code key = 1194});
     * {@code ${name}} replaced from {@code vars}, then system properties.
     */
    /**
     * The CA of the instance in {@code home} ({@code HOME/pki}, or {@code state.dir} of its pki configuration), with
     * the validities its configuration gives; an error naming the folder when it has no CA yet.
     */
    static CertificateAuthority homeCa(Path home, Map<String, String> vars) throws CommandException, IOException {
        Path configDir = home.resolve("config");
        Path pkiConfig = configDir.resolve(PkiConfig.PID + ".cfg");
        Map<String, String> p = Files.exists(pkiConfig) ? readConfig(pkiConfig, vars) : Map.of();
        String stateDir = p.getOrDefault("state.dir", "").trim();
        Path caDir = stateDir.isEmpty() ? home.resolve("pki") : Paths.get(stateDir);
        if (!Files.exists(caDir.resolve("ca.crt"))) {
            throw new CommandException("no CA in " + caDir + " (no ca.crt): start the server once with 'tunnelbus start "
                    + "--home " + home + "', which creates it");
        }
        CaPolicy policy = CaPolicy.defaults();
        policy = new CaPolicy(policy.caName(), policy.caValidity(),
                Duration.ofDays(intValue(p, "cert.validity.days", 825, pkiConfig)),
                Duration.ofDays(intValue(p, "crl.validity.days", 180, pkiConfig)), Clock.systemUTC());
        return CertificateAuthority.open(caDir, policy);
    }

    static Map<String, String> readConfig(Path file, Map<String, String> vars) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (file.getFileName().toString().endsWith(".config")) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String t = line.trim();
                int eq = t.indexOf('=');
                if (t.isEmpty() || t.startsWith("#") || eq < 1) {
                    continue;
                }
                String v = t.substring(eq + 1).trim();
                if (v.length() >= 2 && Character.isLetter(v.charAt(0)) && v.charAt(1) == '"') {
                    v = v.substring(1);
                }
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                out.put(t.substring(0, eq).trim(), substitute(v, vars));
            }
            return out;
        }
        Properties props = new Properties();
        try (var r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            props.load(r);
        }
        for (String k : props.stringPropertyNames()) {
            out.put(k, substitute(props.getProperty(k), vars));
        }
        return out;
    }

    static String substitute(String value, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            if (v == null) {
                v = System.getProperty(m.group(1), "");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static int intValue(Map<String, String> c, String key, int def, Path file) throws CommandException {
        String v = c.get(key);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new CommandException(file + ": " + key + " = '" + v + "' is not a number");
        }
    }
}
