package org.tunnelbus.auth.userpass.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users file, followed live: every {@link #current()} compares the file's stamp (modification time,
 * size and file key, which the atomic rename of {@code tunnelbus user} always changes) with the one last
 * read and re-reads on a difference, so a deleted user is refused at the next connect. A version that cannot
 * be used keeps the last good users in force and is reported with one ERROR line naming the file and the
 * line, once per bad version, not per call. Until a first good version exists every user is refused.
 *
 * <p>Thread-safe: readers see the last good content through a volatile field; reloads run under the monitor.
 */
final class UserStore {
    private static final Logger LOG = LoggerFactory.getLogger(UserStore.class);

    private record Stamp(long modifiedNanos, long size, Object key) {
    }

    private final Path file;
    private volatile Users good;
    private volatile Stamp goodStamp;
    private Stamp reportedBad;
    private boolean reportedMissing;
    private volatile String problem = "not read yet";

    UserStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The users now, the last good ones if the file is broken now, or null if there never were good ones. */
    Users current() {
        Stamp s;
        try {
            s = stamp();
        } catch (IOException e) {
            synchronized (this) {
                reportMissing(e);
            }
            return good;
        }
        if (s.equals(goodStamp)) {
            return good;
        }
        synchronized (this) {
            if (!s.equals(goodStamp) && !s.equals(reportedBad)) {
                reload(s);
            }
        }
        return good;
    }

    private void reload(Stamp s) {
        try {
            Users next = Users.read(file);
            Stamp after = stamp();
            boolean first = good == null;
            good = next;
            goodStamp = after.equals(s) ? s : null; // changed while reading: read again next time
            reportedBad = null;
            reportedMissing = false;
            problem = null;
            LOG.info("{} users file {}: {} user(s)", first ? "Read" : "Reloaded", file, next.size());
        } catch (IOException | RuntimeException e) {
            reportedBad = s;
            problem = LogSafe.reason(e);
            LOG.error("Cannot use users file {}: {}; {}", file, problem, keeping());
        }
    }

    private void reportMissing(IOException e) {
        if (reportedMissing) {
            return;
        }
        reportedMissing = true;
        reportedBad = null;
        goodStamp = null; // when it is back, read it again
        problem = LogSafe.reason(e);
        LOG.error("Cannot use users file {}: {}; {}", file, problem, keeping());
    }

    private String keeping() {
        return good == null ? "refusing every user until it is fixed" : "keeping the last good one";
    }

    /** Why the file is not in use as it is now, or null if it is. */
    String problem() {
        return problem;
    }

    private Stamp stamp() throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size(), a.fileKey());
    }
}
