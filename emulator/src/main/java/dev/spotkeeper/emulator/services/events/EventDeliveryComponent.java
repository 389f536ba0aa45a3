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
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Plays the EventBridge rule that forwards EC2 events to an SQS queue: the {@link CloudEventSink} other
 * components publish to. Creates the queue at start asking for {@code MessageRetentionPeriod=300}, as the
 * product's AWS stack does (ElasticMQ accepts but does not enforce it), and puts each event on it in
 * EventBridge's JSON. Needs {@code SqsComponent} started first.
 */
public final class EventDeliveryComponent implements EmulatorComponent, CloudEventSink {
    private static final System.Logger LOG = System.getLogger(EventDeliveryComponent.class.getName());

    private final ServicesOptions options;
    private EventBridgeEnvelope envelope;
    private Clock clock;
    private SqsJsonClient sqs;
    private volatile String queueUrl;

    public EventDeliveryComponent(ServicesOptions options) {
        this.options = requireNonNull(options, "options is null");
    }

    @Override
    public void start(EmulatorContext context) {
        SqsEndpoints endpoints = context.lookup(SqsEndpoints.class).orElseThrow(() -> SpotkeeperException.of(
                ErrorCode.INTERNAL_ERROR, "event delivery needs the SQS component to start before it"));
        sqs = new SqsJsonClient(endpoints.direct());
        clock = context.clock();
        envelope = new EventBridgeEnvelope(options.accountId(), context.seed() ^ 0x45564E54L);
        queueUrl = sqs.createQueue(options.eventQueueName(), Map.of("MessageRetentionPeriod", "300"));
        context.provide(CloudEventSink.class, this);
    }

    /** The URL of the queue events arrive on (it names the edge endpoint). */
    public String queueUrl() {
        return queueUrl;
    }

    @Override
    public void publish(String source, String detailType, String region, Instant time, List<String> resources,
                        Map<String, Object> detail) {
        String url = queueUrl;
        if (url == null) {
            return;
        }
        String body = Json.write(envelope.build(source, detailType, region == null ? options.region() : region,
                time == null ? clock.instant() : time, resources == null ? List.of() : resources,
                detail == null ? Map.of() : detail));
        try {
            sqs.sendMessage(url, body);
        } catch (SpotkeeperException e) {
            // EventBridge delivery is best effort too; the instance's own IMDS still carries the signal.
            LOG.log(System.Logger.Level.WARNING, "could not deliver " + detailType + " event: " + e.getMessage());
        }
    }

    @Override
    public List<String> describe() {
        return List.of("Events:    " + queueUrl + " (EventBridge-style EC2 events)");
    }

    @Override
    public void close() {
        queueUrl = null;
    }
}
