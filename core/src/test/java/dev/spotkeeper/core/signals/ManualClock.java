package dev.spotkeeper.core.signals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** core cannot use testkit (testkit depends on core), so its tests move this clock by hand. */
final class ManualClock extends Clock {
    private Instant now;

    ManualClock(String iso) {
        this.now = Instant.parse(iso);
    }

    void advance(Duration d) {
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
