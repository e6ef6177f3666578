package org.tunnelbus.openvpn.internal.control;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peer-info text of a key-method-2 record: {@code VAR=value} lines (§3.2; {@code ssl.c
 * push_peer_info()}, {@code ssl_util.c extract_var_peer_info()}, {@code extract_iv_proto()},
 * {@code ssl_ncp.c tls_peer_info_ncp_ver()}).
 *
 * <p>Parsed line by line, so a variable is only found at the start of a line (stock searches the text with
 * {@code strstr}, which also finds a name inside another line; well-formed peer-info does not tell the
 * two apart). The first occurrence of a name wins, as with {@code strstr}.
 */
public final class PeerInfo {
    public static final String IV_VER = "IV_VER";
    public static final String IV_PLAT = "IV_PLAT";
    public static final String IV_PROTO = "IV_PROTO";
    public static final String IV_CIPHERS = "IV_CIPHERS";
    public static final String IV_NCP = "IV_NCP";
    public static final String IV_MTU = "IV_MTU";

    private final Map<String, String> variables;

    private PeerInfo(Map<String, String> variables) {
        this.variables = Collections.unmodifiableMap(variables);
    }

    public static PeerInfo empty() {
        return new PeerInfo(new LinkedHashMap<>());
    }

    /** Parses peer-info text; lines without {@code =} are ignored. Never throws. */
    public static PeerInfo parse(String text) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    vars.putIfAbsent(line.substring(0, eq), stripCr(line.substring(eq + 1)));
                }
            }
        }
        return new PeerInfo(vars);
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** A builder that writes variables in the order given, as {@code push_peer_info()} does. */
    public static Builder builder() {
        return new Builder();
    }

    /** The value of {@code name}, or null. */
    public String get(String name) {
        return variables.get(name);
    }

    public Map<String, String> variables() {
        return variables;
    }

    /** IV_PROTO as a number; 0 when absent, not a number or not positive (as {@code extract_iv_proto()}). */
    public int ivProto() {
        int v = leadingInt(get(IV_PROTO));
        return Math.max(v, 0);
    }

    public boolean has(IvProtoFlag flag) {
        return flag.isSetIn(ivProto());
    }

    /** IV_NCP as a number, 0 when absent. */
    public int ncpVersion() {
        return leadingInt(get(IV_NCP));
    }

    /** Whether the peer sent IV_CIPHERS (the modern NCP input, §3.3). */
    public boolean hasCipherList() {
        return get(IV_CIPHERS) != null;
    }

    /** The IV_CIPHERS list; empty if absent. */
    public List<String> ciphers() {
        String v = get(IV_CIPHERS);
        if (v == null || v.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(v.split(":")).filter(s -> !s.isEmpty()).toList();
    }

    /** Like C's {@code sscanf("%d")}: the leading decimal number; 0 if there is none or it overflows. */
    private static int leadingInt(String s) {
        if (s == null) {
            return 0;
        }
        int i = 0;
        boolean negative = i < s.length() && s.charAt(i) == '-';
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        long v = 0;
        for (; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
            v = v * 10 + (s.charAt(i) - '0');
            if (v > Integer.MAX_VALUE) {
                return 0;
            }
        }
        return (int) (negative ? -v : v);
    }

    /** The text form: one {@code VAR=value\n} line per variable. */
    public String encode() {
        StringBuilder sb = new StringBuilder();
        variables.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "PeerInfo" + variables;
    }

    /** Builds peer-info in a given order. */
    public static final class Builder {
        private final Map<String, String> vars = new LinkedHashMap<>();

        public Builder put(String name, String value) {
            if (name.isEmpty() || name.contains("=") || name.contains("\n") || value.contains("\n")) {
                throw new IllegalArgumentException("bad peer-info variable " + name + "=" + value);
            }
            vars.put(name, value);
            return this;
        }

        public PeerInfo build() {
            return new PeerInfo(new LinkedHashMap<>(vars));
        }
    }
}
