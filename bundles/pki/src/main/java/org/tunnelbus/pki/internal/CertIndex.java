package org.tunnelbus.pki.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the CA has issued: one line per certificate, tab-separated, like OpenSSL's {@code index.txt} but
 * readable without its date format:
 *
 * <pre>
 * # status  not-after  revoked-at  serial(hex)  kind  name
 * V  2029-02-27T10:00:00Z  -                     8f0c…  client  alice
 * R  2029-02-27T10:00:00Z  2026-11-25T10:30:00Z  1a2b…  client  bob
 * </pre>
 *
 * Immutable: changes return a new index, which the CA writes atomically.
 */
final class CertIndex {
    enum Kind {
        SERVER, CLIENT;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    record Entry(boolean revoked, Instant notAfter, Instant revokedAt, BigInteger serial, Kind kind, String name) {
        Entry revoke(Instant at) {
            return new Entry(true, notAfter, at, serial, kind, name);
        }

        String serialHex() {
            return serial.toString(16);
        }
    }

    private static final String HEADER = "# Tunnelbus CA index: status (V valid, R revoked), not-after, revoked-at, serial (hex), kind, name\n";

    private final List<Entry> entries;

    CertIndex(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    static CertIndex empty() {
        return new CertIndex(List.of());
    }

    List<Entry> entries() {
        return entries;
    }

    /** The valid (not revoked) entry of {@code name}. */
    Optional<Entry> valid(String name) {
        return entries.stream().filter(e -> !e.revoked() && e.name().equals(name)).findFirst();
    }

    List<Entry> revoked() {
        return entries.stream().filter(Entry::revoked).toList();
    }

    boolean containsSerial(BigInteger serial) {
        return entries.stream().anyMatch(e -> e.serial().equals(serial));
    }

    CertIndex with(Entry e) {
        List<Entry> l = new ArrayList<>(entries);
        l.add(e);
        return new CertIndex(l);
    }

    CertIndex replace(Entry old, Entry now) {
        List<Entry> l = new ArrayList<>(entries);
        l.set(l.indexOf(old), now);
        return new CertIndex(l);
    }

    String format() {
        StringBuilder sb = new StringBuilder(HEADER);
        for (Entry e : entries) {
            sb.append(e.revoked() ? 'R' : 'V').append('\t').append(e.notAfter()).append('\t')
                    .append(e.revokedAt() == null ? "-" : e.revokedAt().toString()).append('\t')
                    .append(e.serialHex()).append('\t').append(e.kind().key()).append('\t').append(e.name()).append('\n');
        }
        return sb.toString();
    }

    /** @param file named in errors */
    static CertIndex parse(String text, String file) throws IOException {
        List<Entry> l = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            try {
                if (f.length != 6 || !(f[0].equals("V") || f[0].equals("R"))) {
                    throw new IllegalArgumentException("expected 6 tab-separated fields starting with V or R");
                }
                boolean revoked = f[0].equals("R");
                l.add(new Entry(revoked, Instant.parse(f[1]), revoked ? Instant.parse(f[2]) : null, new BigInteger(f[3], 16),
                        Kind.valueOf(f[4].toUpperCase(java.util.Locale.ROOT)), f[5]));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new CertIndex(l);
    }
}
