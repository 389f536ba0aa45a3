package dev.spotkeeper.emulator.services.events;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.spi.StackResourceProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * {@code AWS::Events::Rule} of a CloudFormation stack as rules of the emulator's default bus, through
 * {@link EventRules}: its pattern and/or schedule, state, description and targets ({@code Id}, {@code Arn},
 * {@code Input}, {@code InputPath}; a target's {@code RetryPolicy} and dead-letter queue are kept with the stack,
 * delivery stays best effort). {@code Ref} is the rule's name, {@code Fn::GetAtt} {@code Arn}.
 */
final class RuleResources implements StackResourceProvider {
    static final String TYPE = "AWS::Events::Rule";

    private final EventRules rules;
    private final Random random;

    RuleResources(EventRules rules, long seed) {
        this.rules = rules;
        this.random = new Random(seed);
    }

    @Override
    public boolean provides(String type) {
        return TYPE.equals(type);
    }

    @Override
    public Provisioned create(Request request) {
        checkBus(request);
        String name = StackResourceProvider.physicalName(request, "Name", 64, random);
        List<EventRules.Target> targets = targets(request);
        String arn = put(name, request);
        try {
            if (!targets.isEmpty()) {
                rules.putTargets(name, targets);
            }
        } catch (RuntimeException e) {
            rules.deleteRule(name, true);
            throw e;
        }
        return new Provisioned(name, Map.of("Arn", arn));
    }

    /** In place while the name stays (the rule is put again, targets no longer listed removed); else a new rule. */
    @Override
    public Provisioned update(Request request, Provisioned current) {
        Object given = request.properties().get("Name");
        if (given != null && !current.physicalId().equals(given)) {
            return create(request);
        }
        checkBus(request);
        String name = current.physicalId();
        List<EventRules.Target> targets = targets(request);
        String arn = put(name, request);
        Set<String> kept = new HashSet<>();
        targets.forEach(t -> kept.add(t.id()));
        List<String> gone = new ArrayList<>();
        rules.targets(name).forEach(t -> {
            if (!kept.contains(t.id())) {
                gone.add(t.id());
            }
        });
        rules.removeTargets(name, gone);
        if (!targets.isEmpty()) {
            rules.putTargets(name, targets);
        }
        return new Provisioned(name, Map.of("Arn", arn));
    }

    @Override
    public void delete(Request request, Provisioned current) {
        rules.deleteRule(current.physicalId(), true);
    }

    private String put(String name, Request request) {
        Map<String, Object> p = request.properties();
        Object pattern = p.get("EventPattern");
        String patternJson = pattern == null ? null : pattern instanceof String s ? s : Json.write(pattern);
        return rules.putRule(name, patternJson, text(p.get("ScheduleExpression")), text(p.get("State")),
                text(p.get("Description")));
    }

    private static void checkBus(Request request) {
        Object bus = request.properties().get("EventBusName");
        if (bus != null && !"default".equals(bus) && !String.valueOf(bus).endsWith(":event-bus/default")) {
            throw new IllegalArgumentException("Event bus " + bus + " does not exist: the emulator serves the default"
                    + " bus only");
        }
    }

    private static List<EventRules.Target> targets(Request request) {
        List<EventRules.Target> out = new ArrayList<>();
        Object given = request.properties().get("Targets");
        if (given == null) {
            return out;
        }
        if (!(given instanceof List<?> list)) {
            throw new IllegalArgumentException("Properties validation failed for resource " + request.logicalId()
                    + ": Targets must be a list");
        }
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> t)) {
                throw new IllegalArgumentException("Properties validation failed for resource " + request.logicalId()
                        + ": each of Targets must be an object");
            }
            out.add(new EventRules.Target(text(t.get("Id")), text(t.get("Arn")), text(t.get("Input")),
                    text(t.get("InputPath"))));
        }
        return out;
    }

    private static String text(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
