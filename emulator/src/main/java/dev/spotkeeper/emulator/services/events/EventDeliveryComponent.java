package dev.spotkeeper.emulator.services.events;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.emulator.services.SqsComponent.SqsEndpoints;
import dev.spotkeeper.emulator.spi.CloudEventSink;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import dev.spotkeeper.emulator.spi.FunctionInvoker;
import dev.spotkeeper.emulator.spi.StackResourceProvider;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The emulator's EventBridge: the default event bus with its rules and targets (SQS queues and the emulator's
 * Lambda functions), served at the edge under the signing name {@code events} and, for other emulator parts, as
 * {@link EventRules} (published through the context). It is also the {@link CloudEventSink} other components
 * publish EC2's events to: while the bus has no rule, each event goes straight to the event queue (created at start
 * asking for {@code MessageRetentionPeriod=300}, as the product's AWS stack does; ElasticMQ accepts but does not
 * enforce it), in EventBridge's JSON; once rules exist, events go through the rules only, as on AWS. Scheduled
 * rules fire on the emulator's clock, checked every second; {@link ServicesOptions#scheduleRateScale()} makes
 * {@code rate(...)} schedules fire that many times as often (tests only; AWS has no such setting).
 * Needs {@code SqsComponent} started first.
 */
public final class EventDeliveryComponent implements EmulatorComponent, CloudEventSink {
    private static final System.Logger LOG = System.getLogger(EventDeliveryComponent.class.getName());

    private final ServicesOptions options;
    private EventBridgeEnvelope envelope;
    private Clock clock;
    private SqsJsonClient sqs;
    private EventRules rules;
    private EmulatorContext context;
    private ScheduledExecutorService ticker;
    private final Redelivery redelivery = Redelivery.eventBridgeDefaults();
    private volatile String queueUrl;

    public EventDeliveryComponent(ServicesOptions options) {
        this.options = requireNonNull(options, "options is null");
    }

    @Override
    public void start(EmulatorContext context) {
        SqsEndpoints endpoints = context.lookup(SqsEndpoints.class).orElseThrow(() -> SpotkeeperException.of(
                ErrorCode.INTERNAL_ERROR, "event delivery needs the SQS component to start before it"));
        this.context = context;
        sqs = new SqsJsonClient(endpoints.direct());
        clock = context.clock();
        envelope = new EventBridgeEnvelope(options.accountId(), context.seed() ^ 0x45564E54L);
        queueUrl = sqs.createQueue(options.eventQueueName(), Map.of("MessageRetentionPeriod", "300"));
        rules = new EventRules(options.region(), options.accountId(), clock, options.scheduleRateScale());
        context.provide(CloudEventSink.class, this);
        context.provide(EventRules.class, rules);
        StackResourceProvider.register(context, new RuleResources(rules, context.seed() ^ 0x52554C45L));
        context.register(new EventBridgeHandler(rules, this::putEvent));
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eventbridge-schedules");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::fireSchedules, 1, 1, TimeUnit.SECONDS);
    }

    /** The URL of the queue events arrive on while the bus has no rule (it names the edge endpoint). */
    public String queueUrl() {
        return queueUrl;
    }

    /** The bus's rules, for the emulator's other parts. */
    public EventRules rules() {
        return rules;
    }

    @Override
    public void publish(String source, String detailType, String region, Instant time, List<String> resources,
                        Map<String, Object> detail) {
        String url = queueUrl;
        if (url == null) {
            return;
        }
        Map<String, Object> event = envelope.build(source, detailType, region == null ? options.region() : region,
                time == null ? clock.instant() : time, resources == null ? List.of() : resources,
                detail == null ? Map.of() : detail);
        if (!rules.isEmpty()) {
            rules.route(event, this::deliver);
            return;
        }
        String body = Json.write(event);
        redelivery.deliver(detailType + " event", () -> sqs.sendMessage(url, body));
    }

    private String putEvent(String source, String detailType, Instant time, List<String> resources,
                            Map<String, Object> detail) {
        Map<String, Object> event = envelope.build(source, detailType, options.region(),
                time == null ? clock.instant() : time, resources, detail);
        rules.route(event, this::deliver);
        return (String) event.get("id");
    }

    private void fireSchedules() {
        try {
            Instant now = clock.instant();
            for (EventRules.Rule rule : rules.due(now)) {
                Map<String, Object> event = envelope.build("aws.events", "Scheduled Event", options.region(), now,
                        List.of(rule.arn()), Map.of());
                rules.targets(rule.name()).forEach(t -> deliver(t, event));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "scheduled rules: " + e.getMessage());
        }
    }

    /**
     * Sends an event to one target; a queue that fails to take it is tried again ({@link Redelivery}), as
     * EventBridge retries a target; what cannot be delivered at all is logged.
     */
    private void deliver(EventRules.Target target, Map<String, Object> event) {
        String payload = target.input() != null ? target.input()
                : target.inputPath() != null ? Json.write(path(event, target.inputPath())) : Json.write(event);
        String arn = target.arn();
        try {
            if (arn.startsWith("arn:aws:sqs:")) {
                String queue = arn.substring(arn.lastIndexOf(':') + 1);
                redelivery.deliver("event to " + arn, () -> sqs.sendMessage(sqs.queueUrl(queue), payload));
            } else if (arn.startsWith("arn:aws:lambda:")) {
                Optional<FunctionInvoker> lambda = context.lookup(FunctionInvoker.class);
                if (lambda.isEmpty() || !lambda.get().invokeAsync(arn, payload)) {
                    LOG.log(System.Logger.Level.WARNING, "no Lambda function " + arn + " for target " + target.id());
                }
            } else {
                LOG.log(System.Logger.Level.WARNING, "target " + target.id() + ": the emulator delivers to SQS queues"
                        + " and Lambda functions only, not " + arn);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not deliver to " + arn + ": " + e.getMessage());
        }
    }

    /** A JSONPath of dotted fields ({@code $.detail.instance-id}), as InputPath takes. */
    @SuppressWarnings("unchecked")
    static Object path(Map<String, Object> event, String path) {
        Object at = event;
        if (path.equals("$")) {
            return event;
        }
        for (String part : path.replaceFirst("^\\$\\.", "").split("\\.")) {
            at = at instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(part) : null;
        }
        return at;
    }

    @Override
    public List<String> describe() {
        return List.of("Events:    " + queueUrl + " (EventBridge-style EC2 events while no rule exists)",
                "EventBridge: " + context.endpoint() + " (" + String.join(", ", EventBridgeHandler.ACTIONS) + ")");
    }

    @Override
    public void close() {
        queueUrl = null;
        redelivery.close();
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }
}
