package dev.spotkeeper.cli.job;

import dev.spotkeeper.aws.AwsPorts;
import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.store.StateStore;
import java.time.Clock;
import java.util.Optional;

/**
 * What the AWS and the emulator deployments share: the ports through the AWS adapters, with the event queue and
 * the state table created when missing. Subclasses say where the adapters point and how the controller is set up.
 */
abstract class PortsBackend implements JobBackend {
    static final String QUEUE = "spotkeeper-events";
    static final String TABLE = "spotkeeper-state";

    final AwsPorts ports;
    final String queueUrl;
    private final EventQueuePort queue;
    private final StateStore store;
    private final Clock clock;
    private final String region;

    PortsBackend(AwsSettings settings, String region) {
        this.region = region;
        this.clock = Clock.systemUTC();
        this.ports = new AwsPorts(settings, region, clock);
        this.queueUrl = ports.ensureEventQueue(QUEUE);
        this.queue = ports.eventQueue(queueUrl);
        ports.ensureStateTable(TABLE);
        this.store = ports.stateStore(TABLE);
    }

    @Override
    public StateStore store() {
        return store;
    }

    @Override
    public ComputePort compute() {
        return ports.compute();
    }

    @Override
    public EventQueuePort queue() {
        return queue;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** An SQS queue URL names its account: {@code https://sqs.us-east-1.amazonaws.com/123456789012/name}. */
    @Override
    public Optional<String> accountId() {
        String[] path = java.net.URI.create(queueUrl).getPath().split("/");
        return path.length > 1 && path[1].matches("\\d{12}") ? Optional.of(path[1]) : Optional.empty();
    }

    @Override
    public Optional<String> region() {
        return Optional.of(region);
    }

    @Override
    public abstract ControllerConfig config();

    @Override
    public void close() {
        ports.close();
    }
}
