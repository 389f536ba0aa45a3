package dev.spotkeeper.emulator.services.events;

import com.sun.net.httpserver.HttpExchange;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.json.JsonException;
import dev.spotkeeper.emulator.json.JsonWire;
import dev.spotkeeper.emulator.spi.ServiceHandler;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The EventBridge API (2015-10-07, JSON 1.1: {@code POST /} with {@code X-Amz-Target: AWSEvents.ACTION}) at the
 * edge under the signing name {@code events}, for the default event bus: PutRule, DescribeRule, ListRules,
 * DeleteRule, PutTargets, ListTargetsByRule, RemoveTargets and PutEvents.
 */
final class EventBridgeHandler implements ServiceHandler {
    static final List<String> ACTIONS = List.of("PutRule", "DescribeRule", "ListRules", "DeleteRule", "PutTargets",
            "ListTargetsByRule", "RemoveTargets", "PutEvents");
    private static final String PREFIX = "AWSEvents.";

    /** Puts an event from PutEvents on the bus; returns its id. */
    interface Bus {
        String put(String source, String detailType, Instant time, List<String> resources, Map<String, Object> detail);
    }

    private static final class Refused extends RuntimeException {
        final String type;

        Refused(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    private final EventRules rules;
    private final Bus bus;

    EventBridgeHandler(EventRules rules, Bus bus) {
        this.rules = rules;
        this.bus = bus;
    }

    @Override
    public String service() {
        return "events";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            reply(exchange, 200, route(exchange));
        } catch (Refused e) {
            reply(exchange, 400, error(exchange, e.type, e.getMessage()));
        } catch (EventRules.NotFound e) {
            reply(exchange, 400, error(exchange, "ResourceNotFoundException", e.getMessage()));
        } catch (EventPattern.Invalid e) {
            reply(exchange, 400, error(exchange, "InvalidEventPatternException", e.getMessage()));
        } catch (IllegalArgumentException e) {
            reply(exchange, 400, error(exchange, "ValidationException", e.getMessage()));
        } catch (RuntimeException e) {
            reply(exchange, 500, error(exchange, "InternalException", "The emulator failed to handle the request: "
                    + e.getClass().getSimpleName()));
        }
    }

    private Map<String, Object> route(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(PREFIX)) {
            throw new Refused("UnknownOperationException", "EventBridge takes POST / with X-Amz-Target: AWSEvents.<Action>");
        }
        Map<String, Object> in = body(exchange);
        String action = target.substring(PREFIX.length());
        bus(in);
        Map<String, Object> out = new LinkedHashMap<>();
        switch (action) {
            case "PutRule" -> out.put("RuleArn", rules.putRule(required(in, "Name"), string(in, "EventPattern"),
                    string(in, "ScheduleExpression"), string(in, "State"), string(in, "Description")));
            case "DescribeRule" -> {
                String name = required(in, "Name");
                out.putAll(describe(rules.rule(name).orElseThrow(() -> new EventRules.NotFound("Rule " + name
                        + " does not exist on EventBus default."))));
            }
            case "ListRules" -> {
                List<Object> list = new ArrayList<>();
                rules.rules(string(in, "NamePrefix")).forEach(r -> list.add(describe(r)));
                out.put("Rules", list);
            }
            case "DeleteRule" -> rules.deleteRule(required(in, "Name"), Boolean.TRUE.equals(in.get("Force")));
            case "PutTargets" -> {
                List<EventRules.Target> add = new ArrayList<>();
                for (Map<String, Object> t : objects(in, "Targets")) {
                    add.add(new EventRules.Target(string(t, "Id"), string(t, "Arn"), string(t, "Input"),
                            string(t, "InputPath")));
                }
                rules.putTargets(required(in, "Rule"), add);
                out.put("FailedEntryCount", 0);
                out.put("FailedEntries", List.of());
            }
            case "ListTargetsByRule" -> {
                List<Object> list = new ArrayList<>();
                for (EventRules.Target t : rules.targets(required(in, "Rule"))) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("Id", t.id());
                    m.put("Arn", t.arn());
                    if (t.input() != null) {
                        m.put("Input", t.input());
                    }
                    if (t.inputPath() != null) {
                        m.put("InputPath", t.inputPath());
                    }
                    list.add(m);
                }
                out.put("Targets", list);
            }
            case "RemoveTargets" -> {
                List<String> ids = new ArrayList<>();
                if (in.get("Ids") instanceof List<?> l) {
                    l.forEach(o -> ids.add(String.valueOf(o)));
                }
                rules.removeTargets(required(in, "Rule"), ids);
                out.put("FailedEntryCount", 0);
                out.put("FailedEntries", List.of());
            }
            case "PutEvents" -> out.putAll(putEvents(objects(in, "Entries")));
            default -> throw new Refused("UnknownOperationException", "The emulator's EventBridge does not have the"
                    + " action " + action + "; it has " + String.join(", ", ACTIONS));
        }
        return out;
    }

    private Map<String, Object> putEvents(List<Map<String, Object>> entries) {
        if (entries.isEmpty() || entries.size() > 10) {
            throw new IllegalArgumentException("PutEvents takes 1 to 10 entries");
        }
        List<Object> results = new ArrayList<>();
        int failed = 0;
        for (Map<String, Object> e : entries) {
            bus(e);
            String source = string(e, "Source");
            String detailType = string(e, "DetailType");
            String detail = string(e, "Detail");
            Map<String, Object> parsed = null;
            if (detail != null) {
                try {
                    parsed = Json.parseObject(detail);
                } catch (JsonException ex) {
                    parsed = null;
                }
            }
            if (source == null || detailType == null || parsed == null) {
                failed++;
                results.add(Map.of("ErrorCode", source == null ? "InvalidArgument" : "MalformedDetail",
                        "ErrorMessage", source == null || detailType == null
                                ? "Parameters Source and DetailType are required." : "Detail is malformed."));
                continue;
            }
            List<String> resources = new ArrayList<>();
            if (e.get("Resources") instanceof List<?> l) {
                l.forEach(o -> resources.add(String.valueOf(o)));
            }
            Instant time = e.get("Time") instanceof Number n ? Instant.ofEpochMilli((long) (n.doubleValue() * 1000))
                    : null;
            results.add(Map.of("EventId", bus.put(source, detailType, time, resources, parsed)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("FailedEntryCount", failed);
        out.put("Entries", results);
        return out;
    }

    private static Map<String, Object> describe(EventRules.Rule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", r.name());
        m.put("Arn", r.arn());
        if (r.pattern() != null) {
            m.put("EventPattern", r.pattern().text());
        }
        if (r.schedule() != null) {
            m.put("ScheduleExpression", r.schedule().text());
        }
        m.put("State", r.state());
        if (!r.description().isEmpty()) {
            m.put("Description", r.description());
        }
        m.put("EventBusName", "default");
        return m;
    }

    private static void bus(Map<String, Object> in) {
        Object name = in.get("EventBusName");
        if (name != null && !"default".equals(name) && !String.valueOf(name).endsWith(":event-bus/default")) {
            throw new EventRules.NotFound("Event bus " + name + " does not exist; the emulator has the default bus");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Map<String, Object> in, String key) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (in.get(key) instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof Map)) {
                    throw new IllegalArgumentException(key + " must be a list of objects");
                }
                out.add((Map<String, Object>) o);
            }
        }
        return out;
    }

    private static String required(Map<String, Object> in, String key) {
        String v = string(in, key);
        if (v == null) {
            throw new IllegalArgumentException("1 validation error detected: Value null at '" + key
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return v;
    }

    private static String string(Map<String, Object> in, String key) {
        return JsonWire.string(in, key, IllegalArgumentException::new);
    }

    private static Map<String, Object> body(HttpExchange exchange) throws IOException {
        return JsonWire.body(exchange, m -> new Refused("SerializationException", m));
    }

    private static Map<String, Object> error(HttpExchange exchange, String type, String message) {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        return Map.of("__type", type, "message", message);
    }

    private static void reply(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        JsonWire.reply(exchange, status, body, JsonWire.AMZ_JSON_1_1);
    }
}
