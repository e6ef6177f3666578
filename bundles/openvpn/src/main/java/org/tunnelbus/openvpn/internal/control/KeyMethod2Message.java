package org.tunnelbus.openvpn.internal.control;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.tunnelbus.openvpn.internal.keys.KeySource;
import org.tunnelbus.openvpn.internal.wire.ParseResult;

/**
 * The key-method-2 record, the first TLS application record in each direction (§3.1; {@code ssl.c
 * key_method_2_write()}, {@code key_method_2_read()}, {@code write_string()}, {@code read_string()}):
 *
 * <pre>
 * 00 00 00 00 | 02 | [pre_master 48, client only] | random1 32 | random2 32
 * | options | username | password | peer-info          (each: u16 len incl. NUL | bytes | NUL, or 00 00)
 * </pre>
 *
 * The server sends empty username, password and peer-info (a p2mp server sends no peer-info).
 * Immutable; {@link #toString()} never shows the password or key material.
 */
public final class KeyMethod2Message {
    public static final int KEY_METHOD_2 = 2;
    private static final int KEY_METHOD_MASK = 0x0F;
    /** {@code ssl.h TLS_OPTIONS_LEN}: the options string including its NUL. */
    public static final int MAX_OPTIONS_LENGTH = 512;
    /** {@code misc.h USER_PASS_LEN} of a default build (PKCS#11 builds use 4096). */
    public static final int DEFAULT_MAX_CREDENTIAL_LENGTH = 128;

    private final KeySource keySource;
    private final String options;
    private final String username;
    private final String password;
    private final String peerInfo;
    private final boolean credentialsTooLong;

    private KeyMethod2Message(KeySource keySource, String options, String username, String password,
                              String peerInfo, boolean credentialsTooLong) {
        this.keySource = keySource;
        this.options = options;
        this.username = username;
        this.password = password;
        this.peerInfo = peerInfo;
        this.credentialsTooLong = credentialsTooLong;
    }

    /**
     * The client's record; username/password/peer-info may be empty (sent as {@code 00 00}).
     *
     * @throws IllegalArgumentException if the key source has no pre_master, the options string is longer
     *         than {@value #MAX_OPTIONS_LENGTH} bytes with its NUL, or a string contains a NUL
     */
    public static KeyMethod2Message fromClient(KeySource source, String options, String username,
                                               String password, String peerInfo) {
        if (!source.hasPreMaster()) {
            throw new IllegalArgumentException("the client's key source needs a pre_master");
        }
        return checked(new KeyMethod2Message(source, options, username, password, peerInfo, false));
    }

    /** The server's record: no pre_master, no credentials, no peer-info. */
    public static KeyMethod2Message fromServer(KeySource source, String options) {
        return fromServer(source, options, "");
    }

    /** The TLS server's record with peer-info, as a peer-to-peer TLS server sends it (p2p NCP). */
    public static KeyMethod2Message fromServer(KeySource source, String options, String peerInfo) {
        if (source.hasPreMaster()) {
            throw new IllegalArgumentException("the server sends no pre_master");
        }
        return checked(new KeyMethod2Message(source, options, "", "", peerInfo, false));
    }

    private static KeyMethod2Message checked(KeyMethod2Message m) {
        if (encodedStringLength(m.options) > MAX_OPTIONS_LENGTH || m.options.isEmpty()) {
            throw new IllegalArgumentException("options string must be 1.." + (MAX_OPTIONS_LENGTH - 1) + " bytes");
        }
        for (String s : new String[] {m.options, m.username, m.password, m.peerInfo}) {
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("key-method-2 strings cannot contain NUL");
            }
        }
        return m;
    }

    /** The wire form. */
    public byte[] encode() {
        return write(keySource, utf8(options), utf8(username), utf8(password), utf8(peerInfo));
    }

    /**
     * The client's wire form with a password that never becomes a String (so it can be wiped): the caller
     * zeroes {@code password}, and the result once it is sent.
     *
     * @throws IllegalArgumentException as {@link #fromClient}, or if the password contains a NUL
     */
    public static byte[] encodeClient(KeySource source, String options, String username, byte[] password,
                                      String peerInfo) {
        fromClient(source, options, username, "", peerInfo); // checks everything but the password
        for (byte b : password) {
            if (b == 0) {
                throw new IllegalArgumentException("key-method-2 strings cannot contain NUL");
            }
        }
        return write(source, utf8(options), utf8(username), password, utf8(peerInfo));
    }

    private static byte[] write(KeySource source, byte[]... strings) {
        int n = 5 + (source.hasPreMaster() ? KeySource.PRE_MASTER_LENGTH : 0) + 2 * KeySource.RANDOM_LENGTH;
        for (byte[] s : strings) {
            n += 2 + encodedStringLength(s);
        }
        ByteBuffer out = ByteBuffer.allocate(n);
        out.putInt(0).put((byte) KEY_METHOD_2);
        if (source.hasPreMaster()) {
            out.put(source.preMaster());
        }
        out.put(source.random1()).put(source.random2());
        for (byte[] s : strings) {
            writeString(out, s);
        }
        return out.array();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int encodedStringLength(String s) {
        return encodedStringLength(utf8(s));
    }

    /** An empty string is just a zero length ({@code write_empty_string()}); others carry their NUL. */
    private static int encodedStringLength(byte[] s) {
        return s.length == 0 ? 0 : s.length + 1;
    }

    private static void writeString(ByteBuffer out, byte[] s) {
        if (s.length == 0) {
            out.putShort((short) 0);
            return;
        }
        out.putShort((short) (s.length + 1)).put(s).put((byte) 0);
    }

    /** Parses with the default credential limit of {@value #DEFAULT_MAX_CREDENTIAL_LENGTH}. */
    public static ParseResult<KeyMethod2Message> parse(ByteBuffer record, boolean fromClient) {
        return KeyMethod2Parser.parse(record, fromClient, DEFAULT_MAX_CREDENTIAL_LENGTH);
    }

    static KeyMethod2Message parsed(KeySource source, String options, String username, String password,
                                    String peerInfo, boolean credentialsTooLong) {
        return new KeyMethod2Message(source, options, username, password, peerInfo, credentialsTooLong);
    }

    public KeySource keySource() {
        return keySource;
    }

    /** The peer's options-consistency string (§4). */
    public String options() {
        return options;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** The peer-info text, "" if none was sent. */
    public String peerInfoText() {
        return peerInfo;
    }

    public PeerInfo peerInfo() {
        return PeerInfo.parse(peerInfo);
    }

    /**
     * The username or password exceeded the limit given to the parser. Stock does not fail the handshake
     * for this but answers AUTH_FAILED ("Username or password is too long"); both fields are then "".
     */
    public boolean credentialsTooLong() {
        return credentialsTooLong;
    }

    @Override
    public String toString() {
        return "KeyMethod2Message[" + (keySource.hasPreMaster() ? "client" : "server") + ", options=" + options
                + ", username=" + username + ", password=" + (password.isEmpty() ? "none" : "***")
                + ", peerInfo=" + peerInfo.length() + " bytes]";
    }
}
