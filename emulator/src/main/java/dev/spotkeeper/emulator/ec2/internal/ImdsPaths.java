package dev.spotkeeper.emulator.ec2.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** What one instance's metadata paths answer, read live from the instance (tags, warnings, rebalance notices). */
final class ImdsPaths {
    record Answer(String contentType, String body) {
        static Answer text(String body) {
            return new Answer("text/plain", body);
        }
    }

    private static final String META = "/latest/meta-data/";
    /**
     * The emulator's own path (EC2 has none like it, and answers 404): {@code spotkeeper/host-port/8080} is the port
     * of 127.0.0.1 where this instance's port 8080 is reached, since emulated instances share one address.
     */
    static final String HOST_PORT = "spotkeeper/host-port/";
    private final EmulatedInstance instance;
    private final String accountId;

    ImdsPaths(EmulatedInstance instance, String accountId) {
        this.instance = instance;
        this.accountId = accountId;
    }

    /** The answer for {@code path}, or null for 404. */
    Answer answer(String path) {
        if (path.equals("/latest/dynamic/instance-identity/document")) {
            return new Answer("text/plain", ImdsServer.json(identity()));
        }
        if (path.equals("/latest/meta-data") || path.equals(META)) {
            return Answer.text(String.join("\n", List.of("ami-id", "events/", "hostname", "instance-id",
                    "instance-life-cycle", "instance-type", "local-hostname", "local-ipv4", "placement/", "spot/",
                    "tags/")));
        }
        if (!path.startsWith(META)) {
            return null;
        }
        String key = path.substring(META.length());
        if (key.endsWith("/")) {
            key = key.substring(0, key.length() - 1);
        }
        if (key.startsWith("tags/instance")) {
            return tags(key);
        }
        if (key.startsWith(HOST_PORT)) {
            return hostPort(key.substring(HOST_PORT.length()));
        }
        return meta(key);
    }

    private Answer meta(String key) {
        String hostname = "ip-" + instance.privateIp.replace('.', '-') + ".ec2.internal";
        return switch (key) {
            case "instance-id" -> Answer.text(instance.id);
            case "instance-type" -> Answer.text(instance.spec.type().name());
            case "ami-id" -> Answer.text(instance.spec.imageId());
            case "local-ipv4" -> Answer.text(instance.privateIp);
            case "hostname", "local-hostname" -> Answer.text(hostname);
            case "instance-life-cycle" -> Answer.text(instance.spec.spot() ? "spot" : "on-demand");
            case "placement" -> Answer.text("availability-zone\navailability-zone-id\nregion");
            case "placement/availability-zone" -> Answer.text(instance.zone.name());
            case "placement/availability-zone-id" -> Answer.text(instance.zone.id());
            case "placement/region" -> Answer.text(instance.zone.region());
            case "spot" -> instance.terminationTime() == null ? null : Answer.text("instance-action\ntermination-time");
            case "spot/instance-action" -> instanceAction();
            case "spot/termination-time" -> instance.terminationTime() == null ? null
                    : Answer.text(seconds(instance.terminationTime()));
            case "events" -> Answer.text("maintenance/\nrecommendations/");
            case "events/maintenance/scheduled" -> Answer.text("[]");
            case "events/recommendations/rebalance" -> rebalance();
            default -> null;
        };
    }

    private Answer instanceAction() {
        Instant time = instance.terminationTime();
        if (time == null) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("action", "terminate");
        body.put("time", seconds(time));
        return new Answer("text/plain", ImdsServer.json(body));
    }

    private Answer rebalance() {
        Instant notice = instance.rebalanceNotice();
        return notice == null ? null : new Answer("text/plain", ImdsServer.json(Map.of("noticeTime", seconds(notice))));
    }

    private Answer hostPort(String port) {
        try {
            return Answer.text(Integer.toString(instance.hostPort(Integer.parseInt(port))));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Answer tags(String key) {
        if (!instance.spec.metadataTags()) {
            return null;
        }
        Map<String, String> tags = instance.tags();
        if (key.equals("tags/instance")) {
            return Answer.text(String.join("\n", new TreeSet<>(tags.keySet())));
        }
        String tag = key.substring("tags/instance/".length());
        String value = tags.get(tag);
        return value == null ? null : Answer.text(value);
    }

    private Map<String, Object> identity() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("accountId", accountId);
        doc.put("architecture", instance.spec.type().architecture().awsName());
        doc.put("availabilityZone", instance.zone.name());
        doc.put("billingProducts", null);
        doc.put("devpayProductCodes", null);
        doc.put("marketplaceProductCodes", null);
        doc.put("imageId", instance.spec.imageId());
        doc.put("instanceId", instance.id);
        doc.put("instanceType", instance.spec.type().name());
        doc.put("kernelId", null);
        doc.put("pendingTime", seconds(instance.launchTime));
        doc.put("privateIp", instance.privateIp);
        doc.put("ramdiskId", null);
        doc.put("region", instance.zone.region());
        doc.put("version", "2017-09-30");
        return doc;
    }

    static String seconds(Instant time) {
        return time.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
