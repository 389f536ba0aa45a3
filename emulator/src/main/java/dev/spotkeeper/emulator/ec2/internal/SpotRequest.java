package dev.spotkeeper.emulator.ec2.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A one-time spot instance request, created by every spot launch; its state and status follow the instance. */
public final class SpotRequest {
    final String id;
    final String instanceId;
    final String instanceType;
    final String imageId;
    final String zone;
    final String zoneId;
    final double maxPrice;
    final Instant createTime;
    final Map<String, String> tags = new LinkedHashMap<>();
    String state = "active";
    String statusCode = "fulfilled";
    String statusMessage = "Your spot request is fulfilled.";
    Instant statusTime;

    SpotRequest(String id, String instanceId, String instanceType, String imageId, String zone, String zoneId,
                double maxPrice, Instant createTime) {
        this.id = id;
        this.instanceId = instanceId;
        this.instanceType = instanceType;
        this.imageId = imageId;
        this.zone = zone;
        this.zoneId = zoneId;
        this.maxPrice = maxPrice;
        this.createTime = createTime;
        this.statusTime = createTime;
    }

    synchronized void status(String newState, String code, String message, Instant time) {
        if (newState != null) {
            state = newState;
        }
        statusCode = code;
        statusMessage = message;
        statusTime = time;
    }
}
