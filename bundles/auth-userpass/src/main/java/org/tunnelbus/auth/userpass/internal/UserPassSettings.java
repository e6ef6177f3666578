package org.tunnelbus.auth.userpass.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;

/** A validated configuration: the users file and the throttle. Built whole or refused with a {@link ConfigException}. */
record UserPassSettings(Path usersFile, int failures, int windowSec, int blockSec) {
    /**
     * @param home the {@code tunnelbus.home} framework property, or null
     */
    static UserPassSettings from(UserPassConfig c, String home) throws ConfigException {
        String path = c.users_file().trim();
        if (path.isEmpty()) {
            if (home == null || home.isBlank()) {
                throw new ConfigException("users.file", "not set, and there is no tunnelbus.home for the default HOME/users");
            }
            path = home + "/users";
        }
        Path file;
        try {
            file = Paths.get(path);
        } catch (InvalidPathException e) {
            throw new ConfigException("users.file", "'" + path + "' is not a path: " + e.getReason());
        }
        if (c.throttle_failures() < 0) {
            throw new ConfigException("throttle.failures", "must be 0 (off) or more, not " + c.throttle_failures());
        }
        if (c.throttle_window_sec() < 1) {
            throw new ConfigException("throttle.window.sec", "must be at least 1, not " + c.throttle_window_sec());
        }
        if (c.throttle_block_sec() < 1) {
            throw new ConfigException("throttle.block.sec", "must be at least 1, not " + c.throttle_block_sec());
        }
        return new UserPassSettings(file, c.throttle_failures(), c.throttle_window_sec(), c.throttle_block_sec());
    }

    FailureThrottle throttle(Clock clock) {
        return new FailureThrottle(failures, windowSec * 1000L, blockSec * 1000L, clock);
    }

    @Override
    public String toString() {
        return "users file " + usersFile + ", " + (failures == 0 ? "no throttling"
                : "throttling after " + failures + " failures in " + windowSec + " s for " + blockSec + " s");
    }
}
