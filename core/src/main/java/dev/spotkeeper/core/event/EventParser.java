package dev.spotkeeper.core.event;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.json.JsonException;
import dev.spotkeeper.core.protocol.ReportCodec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads EventBridge envelopes ({@code version, id, detail-type, source, time, region, resources, detail}). */
public final class EventParser {
    private EventParser() {
    }

    public static ParsedEvent parse(String text) {
        Map<String, Object> root;
        try {
            root = Json.parseObject(text);
        } catch (JsonException e) {
            return new ParsedEvent.Malformed(e.line(), "not valid JSON (" + e.getMessage() + ")");
        }
        String detailType = string(root, "detail-type");
        String source = string(root, "source");
        if (detailType == null || source == null) {
            return new ParsedEvent.Malformed(0, "not an EventBridge event: \"source\" and \"detail-type\" are required strings");
        }
        if (!(root.get("detail") instanceof Map<?, ?> rawDetail)) {
            return new ParsedEvent.Malformed(0, "\"detail\" must be an object");
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        rawDetail.forEach((k, v) -> detail.put(k.toString(), v));
        String id = string(root, "id");
        if (id == null || id.isBlank()) {
            return new ParsedEvent.Malformed(0, "\"id\" is required (EventBridge gives every event one)");
        }
        Instant time;
        try {
            String t = string(root, "time");
            if (t == null) {
                return new ParsedEvent.Malformed(0, "\"time\" is required, e.g. \"2019-11-05T11:03:11Z\"");
            }
            time = Instant.parse(t);
        } catch (DateTimeParseException e) {
            return new ParsedEvent.Malformed(0, "\"time\" must be ISO-8601 like 2019-11-05T11:03:11Z, was " + root.get("time"));
        }
        String instanceKey = switch (detailType) {
            case EventTypes.LIFECYCLE_TERMINATE -> "EC2InstanceId";
            default -> "instance-id";
        };
        String instanceId = string(detail, instanceKey);
        if (detailType.equals(EventTypes.HEALTH_EVENT)) {
            instanceId = healthInstance(root);
        }
        if (instanceId == null || instanceId.isBlank()) {
            if (!isHandled(detailType)) {
                return new ParsedEvent.Ignored("detail-type '" + detailType + "' from " + source + " is not handled");
            }
            return new ParsedEvent.Malformed(0, "detail." + instanceKey + " is required for '" + detailType
                    + "' (events are keyed on it, never on the resource ARN)");
        }
        ParsedEvent built = build(detailType, source, id, instanceId, time, detail);
        return built instanceof ParsedEvent.Event e ? new ParsedEvent.Event(e.event(), envelope(root, source)) : built;
    }

    private static Envelope envelope(Map<String, Object> root, String source) {
        List<String> resources = new java.util.ArrayList<>();
        if (root.get("resources") instanceof List<?> list) {
            list.forEach(r -> resources.add(String.valueOf(r)));
        }
        String account = string(root, "account");
        String region = string(root, "region");
        return new Envelope(source, account == null ? "" : account, region == null ? "" : region, resources);
    }

    private static boolean isHandled(String detailType) {
        return switch (detailType) {
            case EventTypes.INTERRUPTION_WARNING, EventTypes.REBALANCE_RECOMMENDATION, EventTypes.STATE_CHANGE,
                    EventTypes.HEALTH_EVENT, EventTypes.LIFECYCLE_TERMINATE, EventTypes.AGENT_REPORT -> true;
            default -> false;
        };
    }

    private static ParsedEvent build(String detailType, String source, String id, String instanceId, Instant time,
                                     Map<String, Object> detail) {
        switch (detailType) {
            case EventTypes.INTERRUPTION_WARNING -> {
                String action = string(detail, "instance-action");
                if (action == null || !EventTypes.INSTANCE_ACTIONS.contains(action)) {
                    return new ParsedEvent.Malformed(0, "detail.instance-action must be one of terminate, stop, hibernate; was " + action);
                }
                return new ParsedEvent.Event(new SpotEvent.InterruptionWarning(id, instanceId, time, action));
            }
            case EventTypes.REBALANCE_RECOMMENDATION -> {
                return new ParsedEvent.Event(new SpotEvent.RebalanceRecommendation(id, instanceId, time));
            }
            case EventTypes.STATE_CHANGE -> {
                String state = string(detail, "state");
                if (state == null || !EventTypes.EC2_STATES.contains(state)) {
                    return new ParsedEvent.Malformed(0, "detail.state must be one of " + EventTypes.EC2_STATES + "; was " + state);
                }
                return new ParsedEvent.Event(new SpotEvent.StateChange(id, instanceId, time, state));
            }
            case EventTypes.HEALTH_EVENT -> {
                String code = string(detail, "eventTypeCode");
                return new ParsedEvent.Event(new SpotEvent.ScheduledChange(id, instanceId, time, code == null ? "" : code,
                        healthTime(string(detail, "startTime"))));
            }
            case EventTypes.LIFECYCLE_TERMINATE -> {
                String group = string(detail, "AutoScalingGroupName");
                String hook = string(detail, "LifecycleHookName");
                String token = string(detail, "LifecycleActionToken");
                if (group == null || hook == null || token == null) {
                    return new ParsedEvent.Malformed(0, "a lifecycle action needs detail.AutoScalingGroupName, LifecycleHookName and LifecycleActionToken");
                }
                return new ParsedEvent.Event(new SpotEvent.LifecycleAction(id, instanceId, time, group, hook, token));
            }
            case EventTypes.AGENT_REPORT -> {
                if (!EventTypes.SOURCE_AGENT.equals(source)) {
                    return new ParsedEvent.Malformed(0, "agent reports must come from source " + EventTypes.SOURCE_AGENT);
                }
                String report = string(detail, ReportCodec.REPORT);
                if (report == null) {
                    return new ParsedEvent.Malformed(0, "detail.report is required for an agent report");
                }
                Map<String, String> attributes = new LinkedHashMap<>();
                detail.forEach((k, v) -> {
                    if (!k.equals("instance-id") && !k.equals(ReportCodec.REPORT) && v != null) {
                        // A list or object (the restore's skipped checkpoints) stays readable: as its JSON.
                        attributes.put(k, v instanceof List<?> || v instanceof Map<?, ?> ? Json.write(v) : v.toString());
                    }
                });
                return new ParsedEvent.Event(new SpotEvent.AgentReport(id, instanceId, time, report, attributes));
            }
            default -> {
                return new ParsedEvent.Ignored("detail-type '" + detailType + "' from " + source + " is not handled");
            }
        }
    }

    /** AWS Health names the instance in {@code resources} (an instance id or an instance ARN). */
    private static String healthInstance(Map<String, Object> root) {
        if (root.get("resources") instanceof List<?> resources) {
            for (Object r : resources) {
                String s = String.valueOf(r);
                int slash = s.lastIndexOf('/');
                String tail = slash >= 0 ? s.substring(slash + 1) : s;
                if (tail.startsWith("i-")) {
                    return tail;
                }
            }
        }
        return null;
    }

    /**
     * An AWS Health time: RFC 1123 as its events write it ({@code Wed, 31 Jan 2024 18:00:00 GMT}), or ISO-8601; empty
     * when absent or unreadable (the change is still acted on, without its start).
     */
    static java.util.Optional<Instant> healthTime(String s) {
        if (s == null || s.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(java.time.ZonedDateTime.parse(s.strip(),
                    java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return java.util.Optional.of(Instant.parse(s.strip()));
            } catch (java.time.format.DateTimeParseException e2) {
                return java.util.Optional.empty();
            }
        }
    }

    private static String string(Map<String, Object> map, String key) {
        return map.get(key) instanceof String s ? s : null;
    }
}
