package org.tunnelbus.openvpn.internal.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.tunnelbus.api.tls.TlsRole;
import org.tunnelbus.api.tls.TlsSpec;
import org.tunnelbus.openvpn.internal.channel.ChannelSettings;
import org.tunnelbus.openvpn.internal.config.ChannelProperties;
import org.tunnelbus.openvpn.internal.config.PropertyReader;
import org.tunnelbus.openvpn.internal.keys.Key2;
import org.tunnelbus.openvpn.internal.keys.KeyDirection;
import org.tunnelbus.openvpn.internal.keys.StaticKeyFile;
import org.tunnelbus.openvpn.internal.keys.StaticKeyFormatException;
import org.tunnelbus.openvpn.internal.occ.OccConfig;
import org.tunnelbus.openvpn.internal.occ.OccProto;
import org.tunnelbus.openvpn.internal.occ.OccStringBuilder;
import org.tunnelbus.openvpn.internal.tlswrap.AuthDigest;
import org.tunnelbus.openvpn.internal.tlswrap.ControlChannelWrapper;
import org.tunnelbus.openvpn.internal.tlswrap.PlainWrapper;
import org.tunnelbus.openvpn.internal.tlswrap.TlsAuthWrapper;
import org.tunnelbus.openvpn.internal.tlswrap.TlsCryptWrapper;

/**
 * A validated listener configuration (PID {@value ServerConfig#PID}), with its files read: immutable once
 * built. A session keeps the settings it started with (its control-channel wrapping, its TLS credentials),
 * so a configuration change applies to new sessions only.
 *
 * <p>{@link #wrapper()} holds JCE objects that are not thread-safe: it is used on the listener's control
 * thread only.
 */
public final class ServerSettings {
    /** How control packets are protected. */
    public enum Wrapping {
        NONE, TLS_AUTH, TLS_CRYPT
    }


    private final InetSocketAddress listen;
    private final String proto;
    private final ChannelProperties channel;
    private final TlsSpec tlsSpec;
    private final Wrapping wrapping;
    private final Key2 staticKey;
    private final int maxClients;
    private final String publicAddress;
    private final Set<String> requiredSchemes;
    private final ClientCertPolicy clientCert;
    private final boolean authGenToken;
    private final boolean duplicateCn;
    private final int authGenTokenLifetime;
    private final OccConfig occ;
    private final String optionsString;
    private final String expectedClientOptions;
    private final ControlChannelWrapper wrapper;
    private final String summary;
    private final List<String> notes;

    private ServerSettings(Reader r) {
        String host = r.string("listen", "0.0.0.0");
        int port = r.integer("port", 1194, 0, 65535);
        listen = address(r, host, port);
        proto = r.string("proto", "udp").toLowerCase(Locale.ROOT);
        if (!proto.equals("udp") && !proto.equals("tcp")) {
            r.refuse("proto", "'" + proto + "' is not supported; udp or tcp");
        }
        channel = ChannelProperties.read(r, 5);
        ClientCertPolicy verify = r.parse("verify.client.cert", "require", ClientCertPolicy::parse);
        clientCert = verify == null ? ClientCertPolicy.REQUIRE : verify;
        tlsSpec = channel.tlsSpec(TlsRole.SERVER, clientCert.requiresCertificate(), clientCert.requestsCertificate());
        if (channel.auth() == AuthDigest.NONE) {
            r.refuse("auth", "'none' cannot authenticate control packets");
        }
        String crypt = r.string("tls.crypt", "");
        String tlsAuth = r.string("tls.auth", "");
        if (!crypt.isEmpty()) {
            wrapping = Wrapping.TLS_CRYPT;
            staticKey = r.staticKey("tls.crypt");
        } else if (!tlsAuth.isEmpty()) {
            wrapping = Wrapping.TLS_AUTH;
            staticKey = r.staticKey("tls.auth");
        } else {
            wrapping = Wrapping.NONE;
            staticKey = null;
        }
        maxClients = r.integer("max.clients", 1024, 1, 0xFFFFFE);
        publicAddress = r.string("public.address", "");
        requiredSchemes = Set.copyOf(r.strings("auth.required"));
        Boolean token = r.parse("auth.gen.token", "false", ServerSettings::bool);
        authGenToken = token != null && token;
        authGenTokenLifetime = r.integer("auth.gen.token.lifetime", 0, 0, Integer.MAX_VALUE);
        Boolean duplicates = r.parse("duplicate.cn", "false", ServerSettings::bool);
        duplicateCn = duplicates != null && duplicates;
        if (clientCert == ClientCertPolicy.NONE && requiredSchemes.contains(ClientCertPolicy.CERT_SCHEME)) {
            r.refuse("auth.required", "contains cert, but verify.client.cert is none (no certificate is asked for)");
        }

        OccConfig occ = OccConfig.defaults(true).withAuth(channel.authOrDefault())
                .withProto(proto.equals("tcp") ? OccProto.TCP_SERVER : OccProto.UDP);
        if (wrapping == Wrapping.TLS_AUTH && channel.keyDirection() != null) {
            occ = occ.withTlsAuth(channel.keyDirection());
        }
        this.occ = occ;
        optionsString = OccStringBuilder.local(occ);
        expectedClientOptions = OccStringBuilder.expectedRemote(occ);
        wrapper = r.ok() ? wrapper() : null;
        notes = List.copyOf(r.notes);
        KeyDirection keyDirection = channel.keyDirection();
        summary = proto + " " + format(listen) + ", TLS provider " + channel.tlsProvider() + " (min "
                + channel.tlsVersionMin() + "), "
                + (wrapping == Wrapping.NONE ? "no control-channel wrapping" : wrapping == Wrapping.TLS_CRYPT ? "tls-crypt"
                : "tls-auth " + channel.authOrDefault().openVpnName() + " key-direction "
                        + (keyDirection == KeyDirection.BIDIRECTIONAL ? "none" : keyDirection == KeyDirection.NORMAL ? "0" : "1"))
                + (clientCert == ClientCertPolicy.REQUIRE ? "" : ", verify-client-cert " + clientCert.optionValue())
                + (authGenToken ? ", auth-gen-token" + (authGenTokenLifetime == 0 ? "" : " lifetime " + authGenTokenLifetime + " s") : "")
                + ", reneg-sec " + channel.renegSeconds() + (channel.renegBytes() > 0 ? ", reneg-bytes " + channel.renegBytes()
                        : "") + ", hand-window " + channel.handWindowSeconds() + ", max-clients " + maxClients
                + (channel.agreement() ? ", handshake agreement" : "");
    }

    private ControlChannelWrapper wrapper() {
        switch (wrapping) {
            case TLS_CRYPT:
                return TlsCryptWrapper.forServer(staticKey);
            case TLS_AUTH:
                return new TlsAuthWrapper(staticKey, channel.keyDirection(), channel.auth());
            default:
                return new PlainWrapper();
        }
    }

    /**
     * Validates a configuration and reads its files.
     *
     * @throws IllegalArgumentException naming the property (and the file) and why, for every problem found
     */
    public static ServerSettings from(Map<String, ?> properties) {
        Reader r = new Reader(properties);
        ServerSettings s = new ServerSettings(r);
        if (!r.ok()) {
            throw new Invalid(String.join("; ", r.problems()), r.problems().size() == r.missingFiles());
        }
        return s;
    }

    /** A refused configuration; {@link #onlyMissingFiles()} when nothing but not-yet-existing files is wrong. */
    public static final class Invalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final boolean onlyMissingFiles;

        Invalid(String message, boolean onlyMissingFiles) {
            super(message);
            this.onlyMissingFiles = onlyMissingFiles;
        }

        /** The files may still appear (the PKI module makes them at first start): worth retrying. */
        public boolean onlyMissingFiles() {
            return onlyMissingFiles;
        }
    }

    /** Things done while reading (a static key generated), for the listener's log. */
    public List<String> notes() {
        return notes;
    }

    private static boolean bool(String v) {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException("'" + v + "' is not true or false");
    }

    private static Key2 staticKey(String text) {
        try {
            return StaticKeyFile.parse(text);
        } catch (StaticKeyFormatException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static InetSocketAddress address(Reader r, String host, int port) {
        try {
            // a literal only: never resolve names while activating (DESIGN: no surprises from DNS)
            if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                r.refuse("listen", "'" + host + "' is not an IP address literal");
                return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            }
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            r.refuse("listen", "'" + host + "' is not an IP address");
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }
    }

    static String format(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    public InetSocketAddress listen() {
        return listen;
    }

    public String proto() {
        return proto;
    }

    /** What a listener shares with a client: TLS, timers, handshake mode. */
    public ChannelProperties channel() {
        return channel;
    }

    public String tlsProvider() {
        return channel.tlsProvider();
    }

    public TlsSpec tlsSpec() {
        return tlsSpec;
    }

    public Wrapping wrapping() {
        return wrapping;
    }

    public int renegSeconds() {
        return channel.renegSeconds();
    }

    public int handWindowSeconds() {
        return channel.handWindowSeconds();
    }

    public long tlsTimeoutMillis() {
        return channel.tlsTimeoutMillis();
    }

    public int maxClients() {
        return maxClients;
    }

    public String publicAddress() {
        return publicAddress;
    }

    public Set<String> requiredSchemes() {
        return requiredSchemes;
    }

    /** Whether clients that sent a username get a session token (stock {@code --auth-gen-token}). */
    public boolean authGenToken() {
        return authGenToken;
    }

    /** Whether several sessions may share a name (stock {@code --duplicate-cn}); else a new one replaces them. */
    public boolean duplicateCn() {
        return duplicateCn;
    }

    /** Seconds after the first login that tokens are accepted; 0: no limit. */
    public int authGenTokenLifetime() {
        return authGenTokenLifetime;
    }

    /** How long a token is good after it was issued, halved: the renegotiation interval (stock's renewal time). */
    public int authTokenRenewalSeconds() {
        return channel.renegSeconds() > 0 ? channel.renegSeconds() : 3600;
    }

    /** verify-client-cert: whether clients need a certificate and when the cert Authenticator is asked. */
    public ClientCertPolicy clientCert() {
        return clientCert;
    }

    /** {@code push} or {@code agreement}: the {@code tunnelbus.handshake.mode} of the handshake that serves clients. */
    public String handshakeMode() {
        return channel.handshakeMode();
    }

    /** What our options string reflects (the agreement model adds its tunnel addresses and cipher). */
    public OccConfig occConfig() {
        return occ;
    }

    /** Our options-consistency string for key method 2 (wire reference §4). */
    public String optionsString() {
        return optionsString;
    }

    /** The options string a client configured to match us sends (for the stock consistency warnings). */
    public String expectedClientOptions() {
        return expectedClientOptions;
    }

    /** The control-channel wrapper of sessions that start with these settings (control thread only). */
    public ControlChannelWrapper controlWrapper() {
        return wrapper;
    }

    /** Bytes of TLS ciphertext per control packet (see {@link ChannelSettings#maxTlsChunk}). */
    public int maxTlsChunk() {
        return ChannelSettings.maxTlsChunk(wrapper);
    }

    /** What the control channels of sessions that start with these settings need. */
    public ChannelSettings channelSettings() {
        return new ChannelSettings(tlsSpec, wrapper, channel.tlsTimeoutMillis(), channel.handWindowMillis(),
                channel.renegSeconds(), channel.renegBytes());
    }

    /** Whether a change from {@code this} to {@code next} needs a new socket. */
    boolean sameSocket(ServerSettings next) {
        return listen.equals(next.listen) && proto.equals(next.proto);
    }

    @Override
    public String toString() {
        return summary;
    }

    /** The shared property reader, plus what only a listener does: notes, and a tls-crypt/tls-auth key made if missing. */
    private static final class Reader extends PropertyReader {
        final List<String> notes = new ArrayList<>();

        Reader(Map<String, ?> props) {
            super(props);
        }

        /**
         * A static key file; when it does not exist a new key is generated there (mode 0600), as the first start
         * of a server needs one and clients get it with their profiles.
         */
        Key2 staticKey(String name) {
            String path = string(name, "");
            Path p = Path.of(path);
            if (!Files.exists(p)) {
                try {
                    StaticKeys.generate(p);
                    notes.add("generated a new static key for '" + name + "' in " + path
                            + " (clients need it: it goes into their profiles)");
                } catch (IOException | RuntimeException e) {
                    refuse(name, "cannot create " + path + " (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
                    return null;
                }
            }
            return file(name, false, ServerSettings::staticKey);
        }
    }
}
