package dev.spotkeeper.emulator.services.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
        event.put("resources", resources(region, resources, detail));
        event.put("detail", new LinkedHashMap<>(detail));
        return event;
    }

    /**
     * EC2 events name their instance by ARN; publishers may pass bare instance ids (or none at all when the
     * detail carries {@code instance-id}), which become {@code arn:aws:ec2:REGION:ACCOUNT:instance/ID}.
     */
    private List<String> resources(String region, List<String> resources, Map<String, Object> detail) {
        List<String> arns = new ArrayList<>();
        for (String resource : resources) {
            arns.add(resource.startsWith("i-") ? instanceArn(region, resource) : resource);
        }
        if (arns.isEmpty() && detail.get("instance-id") instanceof String id) {
            arns.add(instanceArn(region, id));
        }
        return arns;
    }

    private String instanceArn(String region, String instanceId) {
        return "arn:aws:ec2:" + region + ":" + accountId + ":instance/" + instanceId;
    }

    /** A version-4 UUID from the seeded random, so a seeded run repeats its event ids. */
    private synchronized UUID nextId() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
