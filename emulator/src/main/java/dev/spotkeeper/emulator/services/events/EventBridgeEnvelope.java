package dev.spotkeeper.emulator.services.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Builds EventBridge's event envelope (version 0) with ids drawn from a seeded random. */
final class EventBridgeEnvelope {
    private final String accountId;
    private final Random random;

    EventBridgeEnvelope(String accountId, long seed) {
        this.accountId = accountId;
        this.random = new Random(seed);
    }

    Map<String, Object> build(String source, String detailType, String region, Instant time, List<String> resources,
                              Map<String, Object> detail) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", nextId().toString());
        event.put("detail-type", detailType);
        event.put("source", source);
        event.put("account", accountId);
        event.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", region);
        event.put("resources", List.copyOf(resources));
        event.put("detail", new LinkedHashMap<>(detail));
        return event;
    }

    /** A version-4 UUID from the seeded random, so a seeded run repeats its event ids. */
    private synchronized UUID nextId() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
