package dev.spotkeeper.emulator.ec2.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A one-time spot instance request. A spot RunInstances makes one already fulfilled; RequestSpotInstances makes
 * one {@code open} that {@link SpotRequestFlow} fulfils later. Its state and status then follow the instance (see
 * the EC2 User Guide, "State changes for a Spot request"). Mutable fields are guarded by the request's monitor.
 */
public final class SpotRequest {
    final String id;
    final LaunchSpec spec;
    final double maxPrice;
    final Instant createTime;
    /** The end of an open request's validity, null when it has none. */
    final Instant validUntil;
    final Map<String, String> tags = new LinkedHashMap<>();
    private String instanceId;
    private String zone;
    private String zoneId;
    String state;
    String statusCode;
    String statusMessage;
    Instant statusTime;

    private SpotRequest(String id, LaunchSpec spec, double maxPrice, Instant createTime, Instant validUntil) {
        this.id = id;
        this.spec = spec;
        this.maxPrice = maxPrice;
        this.createTime = createTime;
        this.validUntil = validUntil;
        this.statusTime = createTime;
    }

    /** The request a spot RunInstances makes: active and fulfilled from the start. */
    static SpotRequest fulfilled(String id, String instanceId, LaunchSpec spec, String zone, String zoneId,
                                 double maxPrice, Instant now) {
        SpotRequest r = new SpotRequest(id, spec, maxPrice, now, null);
        r.fulfil(instanceId, zone, zoneId, now);
        return r;
    }

    /** A RequestSpotInstances request, waiting for its evaluation. */
    static SpotRequest open(String id, LaunchSpec spec, double maxPrice, Instant validUntil, Instant now) {
        SpotRequest r = new SpotRequest(id, spec, maxPrice, now, validUntil);
        r.status("open", "pending-evaluation", "Your Spot request has been submitted for review, and is pending"
                + " evaluation.", now);
        return r;
    }

    synchronized void fulfil(String instance, String launchedZone, String launchedZoneId, Instant now) {
        instanceId = instance;
        zone = launchedZone;
        zoneId = launchedZoneId;
        status("active", "fulfilled", "Your spot request is fulfilled.", now);
    }

    /**
     * A new state and status, or with {@code newState} null a new status in the same state (a holding code of an
     * open request, {@code marked-for-termination} of an active one). The evaluation of open requests sets a holding
     * code only under the request's monitor after seeing it still open, so a cancel that came in first keeps its
     * status ({@link SpotRequestFlow}).
     */
    synchronized void status(String newState, String code, String message, Instant time) {
        if (newState != null) {
            state = newState;
        }
        statusCode = code;
        statusMessage = message;
        statusTime = time;
    }

    /** The instance it launched, null while it is open. */
    synchronized String instanceId() {
        return instanceId;
    }

    /** The zone it launched in, or the one its specification asks for while open (null: any). */
    synchronized String zone() {
        return zone != null ? zone : spec.zoneName();
    }

    synchronized String zoneId() {
        return zoneId;
    }

    synchronized boolean isOpen() {
        return state.equals("open");
    }
}
