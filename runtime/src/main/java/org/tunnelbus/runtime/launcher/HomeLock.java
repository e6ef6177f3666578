package org.tunnelbus.runtime.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One running instance per home: an exclusive lock on {@code HOME/.lock}, held until the JVM exits (the
 * operating system releases it even after a crash). The file holds the pid of the holder, for the message.
 * Felix's own cache lock does not stop a second framework on the same cache, and two instances on one
 * home would fight over its configuration, cache and management socket.
 */
final class HomeLock {

    static final String FILE_NAME = ".lock";

    private static FileChannel channel; // held for the life of the JVM
    private static FileLock lock;

    private HomeLock() {
    }

    static synchronized void acquire(Path home) throws IOException, LauncherException {
        Path file = home.resolve(FILE_NAME);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            String holder = "";
            try {
                holder = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                // unknown holder
            }
            ch.close();
            throw new LauncherException("home " + home + " is in use by another running tunnelbus"
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; stop it or choose another home with --home DIR");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
        channel = ch;
        lock = l;
    }
}
