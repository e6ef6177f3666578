package org.tunnelbus.auth.cert.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file whose parsed content follows the file: every {@link #current()} compares the file's stamp
 * (modification time, size, and file key — the inode, which an atomic rename always changes) with the one
 * last read, and re-reads on a difference. A file that became unreadable or invalid keeps the last good
 * content and is reported with one error line per bad version of the file, not per call.
 *
 * <p>Thread-safe: readers see the last good value through a volatile field; a reload runs under the
 * object's monitor, so concurrent callers do not parse the same version twice.
 *
 * @param <T> the parsed content
 */
final class WatchedFile<T> {
    private static final Logger LOG = LoggerFactory.getLogger(WatchedFile.class);

    /** Parses a file; the message of its exception is the log line's reason. */
    interface Parser<T> {
        T parse(Path file) throws IOException;
    }

    private record Stamp(long modifiedNanos, long size, Object key) {
    }

    private final String what;
    private final Path file;
    private final Parser<T> parser;
    private volatile T good;
    private volatile Stamp goodStamp;
    private Stamp reportedBad;
    private volatile String problem;

    /**
     * Reads the file once.
     *
     * @throws IOException if it cannot be read or parsed now (for a configuration to refuse)
     */
    WatchedFile(String what, Path file, Parser<T> parser) throws IOException {
        this.what = what;
        this.file = file;
        this.parser = parser;
        Stamp s = stamp();
        this.good = parser.parse(file);
        this.goodStamp = s;
    }

    Path file() {
        return file;
    }

    /** The content of the file now, or the last good content if the file is broken now. */
    T current() {
        Stamp s;
        try {
            s = stamp();
        } catch (IOException e) {
            synchronized (this) {
                report(null, e);
            }
            return good;
        }
        if (s.equals(goodStamp)) {
            if (problem != null) {
                synchronized (this) {
                    problem = null; // the good version is back
                    reportedBad = null;
                }
            }
            return good;
        }
        synchronized (this) {
            if (s.equals(goodStamp) || s.equals(reportedBad)) {
                return good;
            }
            try {
                T next = parser.parse(file);
                Stamp after = stamp();
                good = next;
                goodStamp = after.equals(s) ? s : after; // changed while reading: the next call reads again if so
                problem = null;
                reportedBad = null;
                LOG.info("Reloaded {} {}", what, file);
            } catch (IOException | RuntimeException e) {
                report(s, e);
            }
        }
        return good;
    }

    /** Why the file is not in use as it is now, or null if it is. */
    String problem() {
        return problem;
    }

    private void report(Stamp bad, Exception e) {
        if (bad != null && bad.equals(reportedBad)) {
            return;
        }
        if (bad == null && problem != null && reportedBad == null) {
            return; // still missing: reported already
        }
        reportedBad = bad;
        problem = reason(e);
        LOG.error("Cannot use {} {}: {}; keeping the last good one", what, file, problem);
    }

    static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    }

    private Stamp stamp() throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.size(), a.fileKey());
    }
}
