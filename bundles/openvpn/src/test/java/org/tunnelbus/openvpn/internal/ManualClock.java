package org.tunnelbus.openvpn.internal;

import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand: no sleeping. */
public final class ManualClock implements InstantSource {
    private long millis;

    public ManualClock(long startMillis) {
        this.millis = startMillis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
        return millis;
    }

    public void advance(long deltaMillis) {
        millis += deltaMillis;
    }

    public long seconds() {
        return millis / 1000;
    }
}
