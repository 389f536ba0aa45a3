package dev.spotkeeper.emulator.services.events;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The rules of the emulator's default event bus and their targets: the Java API other emulator parts (the
 * CloudFormation of {@code AWS::Events::Rule}) use, and what the wire API serves. Thread-safe. Delivery to targets is
 * the {@code deliver} callback's (target, event JSON), called outside the lock.
 */
public final class EventRules {
    /** A rule: a pattern, a schedule, or both; state {@code ENABLED} or {@code DISABLED}. */
    public record Rule(String name, String arn, EventPattern pattern, ScheduleExpression schedule, String state,
                       String description, Instant created) {
        public boolean enabled() {
            return "ENABLED".equals(state);
        }
    }

    /** A target: an SQS queue or Lambda function ARN, with an optional constant {@code input} or {@code inputPath}. */
    public record Target(String id, String arn, String input, String inputPath) {
        public Target {
            if (id == null || id.isBlank() || arn == null || arn.isBlank()) {
                throw new IllegalArgumentException("A target needs an Id and an Arn");
            }
            if (input != null && inputPath != null) {
                throw new IllegalArgumentException("Only one of Input and InputPath may be given for target " + id);
            }
        }
    }

    /** Refused: no such rule. */
    public static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    private final String region;
    private final String accountId;
    private final Clock clock;
    private final double rateScale;
    private final Map<String, Rule> rules = new LinkedHashMap<>();
    private final Map<String, Map<String, Target>> targets = new LinkedHashMap<>();
    private final Map<String, Instant> lastFired = new LinkedHashMap<>();

    public EventRules(String region, String accountId, Clock clock) {
        this(region, accountId, clock, 1);
    }

    /**
     * Rules whose {@code rate(...)} schedules fire {@code rateScale} times as often as AWS's (an emulator-only
     * setting for tests: 12 runs {@code rate(1 minute)} every 5 seconds); cron schedules keep their times.
     */
    public EventRules(String region, String accountId, Clock clock, double rateScale) {
        if (!(rateScale >= 1) || Double.isInfinite(rateScale)) {
            throw new IllegalArgumentException("rate scale must be at least 1: " + rateScale);
        }
        this.region = region;
        this.accountId = accountId;
        this.clock = clock;
        this.rateScale = rateScale;
    }

    /** Creates or replaces a rule (its targets stay, as with PutRule); returns its ARN. */
    public synchronized String putRule(String name, String eventPattern, String scheduleExpression, String state,
                                       String description) {
        if (name == null || !name.matches("[\\.\\-_A-Za-z0-9]{1,64}")) {
            throw new IllegalArgumentException("Rule name must be 1 to 64 letters, digits, '.', '-' or '_'");
        }
        if (eventPattern == null && scheduleExpression == null) {
            throw new IllegalArgumentException("Parameter(s) EventPattern or ScheduleExpression must be specified.");
        }
        String s = state == null ? "ENABLED" : state;
        if (!s.equals("ENABLED") && !s.equals("DISABLED")) {
            throw new IllegalArgumentException("State must be ENABLED or DISABLED");
        }
        EventPattern pattern = eventPattern == null ? null : EventPattern.parse(eventPattern);
        ScheduleExpression schedule = scheduleExpression == null ? null : ScheduleExpression.parse(scheduleExpression);
        Rule old = rules.get(name);
        Rule rule = new Rule(name, "arn:aws:events:" + region + ":" + accountId + ":rule/" + name, pattern, schedule, s,
                description == null ? "" : description, old == null ? clock.instant() : old.created());
        rules.put(name, rule);
        targets.putIfAbsent(name, new LinkedHashMap<>());
        if (schedule != null && (old == null || old.schedule() == null)) {
            lastFired.put(name, clock.instant());
        }
        return rule.arn();
    }

    public synchronized Optional<Rule> rule(String name) {
        return Optional.ofNullable(rules.get(name));
    }

    public synchronized List<Rule> rules(String namePrefix) {
        List<Rule> out = new ArrayList<>();
        for (Rule r : rules.values()) {
            if (namePrefix == null || r.name().startsWith(namePrefix)) {
                out.add(r);
            }
        }
        return out;
    }

    public synchronized boolean isEmpty() {
        return rules.isEmpty();
    }

    public synchronized void putTargets(String rule, List<Target> add) {
        Map<String, Target> of = targetsOf(rule);
        if (of.size() + add.stream().filter(t -> !of.containsKey(t.id())).count() > 5) {
            throw new IllegalArgumentException("The requested resource exceeds the maximum number allowed (5 targets"
                    + " per rule).");
        }
        add.forEach(t -> of.put(t.id(), t));
    }

    public synchronized List<Target> targets(String rule) {
        return new ArrayList<>(targetsOf(rule).values());
    }

    public synchronized void removeTargets(String rule, List<String> ids) {
        Map<String, Target> of = targetsOf(rule);
        ids.forEach(of::remove);
    }

    /** Deletes a rule; one with targets only when {@code force}, as EventBridge. Unknown names are no error. */
    public synchronized void deleteRule(String name, boolean force) {
        Map<String, Target> of = targets.get(name);
        if (of != null && !of.isEmpty() && !force) {
            throw new IllegalArgumentException("Rule can't be deleted since it has targets.");
        }
        rules.remove(name);
        targets.remove(name);
        lastFired.remove(name);
    }

    /** Routes one event (an envelope) to the targets of every enabled rule whose pattern matches; the number of rules. */
    public int route(Map<String, Object> event, BiConsumer<Target, Map<String, Object>> deliver) {
        List<Target> to = new ArrayList<>();
        int matched = 0;
        synchronized (this) {
            for (Rule r : rules.values()) {
                if (r.enabled() && r.pattern() != null && r.pattern().matches(event)) {
                    matched++;
                    to.addAll(targetsOf(r.name()).values());
                }
            }
        }
        to.forEach(t -> deliver.accept(t, event));
        return matched;
    }

    /** The scheduled rules due at {@code now}, each once per due time (a late tick fires once, not per missed time). */
    synchronized List<Rule> due(Instant now) {
        List<Rule> out = new ArrayList<>();
        for (Rule r : rules.values()) {
            if (r.schedule() == null) {
                continue;
            }
            Instant last = lastFired.getOrDefault(r.name(), r.created());
            Instant next = r.schedule().nextAfter(r.created(), last, rateScale);
            if (!next.isAfter(now)) {
                lastFired.put(r.name(), now);
                if (r.enabled()) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private Map<String, Target> targetsOf(String rule) {
        Map<String, Target> of = targets.get(rule);
        if (of == null) {
            throw new NotFound("Rule " + rule + " does not exist on EventBus default.");
        }
        return of;
    }
}
