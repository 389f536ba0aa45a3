package dev.spotkeeper.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** core cannot use testkit (testkit depends on core), so its tests move this clock by hand. */
public final class ManualClock extends Clock {
    private Instant now;

    public ManualClock(String iso) {
        this.now = Instant.parse(iso);
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
