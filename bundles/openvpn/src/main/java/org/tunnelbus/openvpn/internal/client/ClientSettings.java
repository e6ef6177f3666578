package org.tunnelbus.openvpn.internal.client;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.tunnelbus.api.tls.TlsRole;
import org.tunnelbus.api.tls.TlsSpec;
import org.tunnelbus.openvpn.internal.channel.ChannelSettings;
import org.tunnelbus.openvpn.internal.config.ChannelProperties;
import org.tunnelbus.openvpn.internal.config.PropertyReader;
import org.tunnelbus.openvpn.internal.keys.Key2;
import org.tunnelbus.openvpn.internal.keys.StaticKeyFile;
import org.tunnelbus.openvpn.internal.keys.StaticKeyFormatException;
import org.tunnelbus.openvpn.internal.occ.OccConfig;
import org.tunnelbus.openvpn.internal.occ.OccStringBuilder;
import org.tunnelbus.openvpn.internal.tlswrap.ControlChannelWrapper;
import org.tunnelbus.openvpn.internal.tlswrap.PlainWrapper;
import org.tunnelbus.openvpn.internal.tlswrap.TlsAuthWrapper;
import org.tunnelbus.openvpn.internal.tlswrap.TlsCryptWrapper;

/**
 * A validated client configuration (PID {@value ClientConfig#PID}) with its files read; immutable. Every
 * problem is reported at once, each naming its property (DESIGN invariant 7). Unlike the server's, a client's
 * static key is never generated: it has to be the server's.
 */
public final class ClientSettings {
    /** The property naming the username/password file (stock {@code auth-user-pass FILE}). */
    public static final String AUTH_USER_PASS = "auth.user.pass";

    private final List<RemoteList.Remote> remotes;
    private final int connectTimeoutSeconds;
    private final boolean remoteRandom;
    private final ClientProto proto;
    private final String local;
    private final int localPort;
    private final ChannelProperties channel;
    private final TlsSpec tlsSpec;
    private final String verifyName;
    private final boolean requireServerCert;
    private final Key2 cryptKey;
    private final Key2 authKey;
    private final List<String> ciphers;
    private final int retrySeconds;
    private final int retryMaxSeconds;
    private final String device;
    private final int deviceMtu;
    private final String optionsString;
    private final OccConfig occ;
    private final Path authUserPass;

    private ClientSettings(PropertyReader r) {
        int port = r.integer("port", 1194, 1, 65535);
        proto = r.parse("proto", "udp", ClientProto::parse);
        List<String> entries = r.strings("remote");
        List<RemoteList.Remote> servers = List.of();
        if (entries.isEmpty()) {
            r.refuse("remote", "is required (host name or IP address of the server)");
        } else if (proto != null) {
            try {
                servers = RemoteList.parse(entries, port, proto);
            } catch (IllegalArgumentException e) {
                r.refuse("remote", e.getMessage());
            }
        }
        remotes = servers;
        remoteRandom = Boolean.parseBoolean(r.string("remote.random", "false"));
        local = r.string("local", "0.0.0.0");
        localPort = r.integer("lport", 0, 0, 65535);
        channel = ChannelProperties.read(r, 2);
        tlsSpec = channel.tlsSpec(TlsRole.CLIENT, true, true);
        verifyName = r.string("verify.x509.name", "");
        requireServerCert = !r.string("remote.cert.tls", "true").equalsIgnoreCase("false");
        cryptKey = r.file("tls.crypt", false, ClientSettings::staticKey);
        authKey = cryptKey == null ? r.file("tls.auth", false, ClientSettings::staticKey) : null;
        ciphers = List.of(r.string("data.ciphers", String.join(":", OccConfig.DEFAULT_DATA_CIPHERS)).split(":"));
        connectTimeoutSeconds = r.integer("connect.timeout", 120, 1, 3600);
        retrySeconds = r.integer("connect.retry", 1, 1, 3600);
        retryMaxSeconds = r.integer("connect.retry.max", 300, 1, 86400);
        device = r.string("device", "tun-client");
        deviceMtu = r.integer("device.mtu", 1500, 576, 9000);
        String userPass = r.string(AUTH_USER_PASS, "");
        authUserPass = userPass.isEmpty() ? null : Path.of(userPass); // read at every connection, not here
        OccConfig occ = OccConfig.defaults(false).withAuth(channel.authOrDefault())
                .withProto(proto == null ? ClientProto.UDP.occ() : proto.occ());
        if (authKey != null && channel.keyDirection() != null) {
            occ = occ.withTlsAuth(channel.keyDirection());
        }
        this.occ = occ;
        optionsString = OccStringBuilder.local(occ);
    }

    /**
     * Validates a configuration and reads its files.
     *
     * @throws IllegalArgumentException naming every bad property and why
     */
    public static ClientSettings from(Map<String, ?> properties) {
        PropertyReader r = new PropertyReader(properties);
        ClientSettings s = new ClientSettings(r);
        if (!r.ok()) {
            throw new IllegalArgumentException(String.join("; ", r.problems()));
        }
        return s;
    }

    private static Key2 staticKey(String text) {
        try {
            return StaticKeyFile.parse(text);
        } catch (StaticKeyFormatException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** A new wrapper for one connection (it holds non-thread-safe JCE objects and per-connection state). */
    public ControlChannelWrapper newWrapper() {
        if (cryptKey != null) {
            return TlsCryptWrapper.forClient(cryptKey);
        }
        if (authKey != null) {
            return new TlsAuthWrapper(authKey, channel.keyDirection(), channel.auth());
        }
        return new PlainWrapper();
    }

    /** The servers, in the configured order (OpenVPN: the {@code remote} lines). */
    List<RemoteList.Remote> remotes() {
        return remotes;
    }

    /** OpenVPN --connect-timeout: how long a TCP connect may take. */
    public int connectTimeoutMillis() {
        return connectTimeoutSeconds * 1000;
    }

    /** The servers as {@code host:port}, in the configured order. */
    public List<String> servers() {
        return remotes.stream().map(RemoteList.Remote::toString).toList();
    }

    /** OpenVPN --remote-random: try the servers in a random order. */
    boolean remoteRandom() {
        return remoteRandom;
    }

    /** UDP or TCP, and what that changes. */
    public ClientProto proto() {
        return proto;
    }

    public String local() {
        return local;
    }

    public int localPort() {
        return localPort;
    }

    /** What a client shares with a listener: TLS, timers, handshake mode. */
    public ChannelProperties channel() {
        return channel;
    }

    public TlsSpec tlsSpec() {
        return tlsSpec;
    }

    /** The CN the server certificate must have, or "" for any. */
    public String verifyName() {
        return verifyName;
    }

    public boolean requireServerCert() {
        return requireServerCert;
    }

    /** The data ciphers we offer (IV_CIPHERS) and accept in a push. */
    public List<String> ciphers() {
        return ciphers;
    }

    public long retryMillis() {
        return retrySeconds * 1000L;
    }

    public long retryMaxMillis() {
        return retryMaxSeconds * 1000L;
    }

    /** The TUN device to configure, or "" for none. */
    public String device() {
        return device;
    }

    public int deviceMtu() {
        return deviceMtu;
    }

    /** The username/password file, read at every connection attempt ({@link UserPass}), or null for none. */
    public Path authUserPass() {
        return authUserPass;
    }

    /** Our options-consistency string for key method 2 (wire reference §4). */
    public String optionsString() {
        return optionsString;
    }

    /** What goes into our options string (a peer-to-peer side adds its ifconfig to it). */
    public OccConfig occConfig() {
        return occ;
    }

    /** What one connection's control channel needs (with a wrapper of its own: it holds per-connection state). */
    public ChannelSettings channelSettings() {
        return new ChannelSettings(tlsSpec, newWrapper(), channel.tlsTimeoutMillis(), channel.handWindowMillis(),
                channel.renegSeconds(), channel.renegBytes());
    }

    @Override
    public String toString() {
        return proto + " " + remotes.stream().map(RemoteList.Remote::toString).collect(java.util.stream.Collectors.joining(" "))
                + (remoteRandom ? " (random order)" : "") + ", TLS provider " + channel.tlsProvider() + ", "
                + (cryptKey != null ? "tls-crypt" : authKey != null ? "tls-auth" : "no control-channel wrapping")
                + ", data ciphers " + String.join(":", ciphers) + ", reneg-sec " + channel.renegSeconds()
                + (channel.renegBytes() > 0 ? ", reneg-bytes " + channel.renegBytes() : "")
                + (device.isEmpty() ? ", no device" : ", device " + device)
                + (channel.agreement() ? ", handshake agreement" : "")
                + (authUserPass == null ? "" : ", username/password from " + authUserPass);
    }
}
