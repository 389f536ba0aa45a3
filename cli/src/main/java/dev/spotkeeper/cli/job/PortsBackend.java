package dev.spotkeeper.cli.job;

import dev.spotkeeper.aws.AwsPorts;
import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.store.StateStore;
import java.time.Clock;

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

    /** Creates the event queue and the state table when missing. */
    PortsBackend(AwsSettings settings, String region) {
        this.clock = Clock.systemUTC();
        this.ports = new AwsPorts(settings, region, clock);
        this.queueUrl = ports.ensureEventQueue(QUEUE);
        this.queue = ports.eventQueue(queueUrl);
        ports.ensureStateTable(TABLE);
        this.store = ports.stateStore(TABLE);
    }

    /** A queue and a table that exist already (the local plane made them and named them): no call at all. */
    PortsBackend(AwsSettings settings, String region, String queueUrl, String table) {
        this.clock = Clock.systemUTC();
        this.ports = new AwsPorts(settings, region, clock);
        this.queueUrl = queueUrl;
        this.queue = ports.eventQueue(queueUrl);
        this.store = ports.stateStore(table);
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

    @Override
    public abstract ControllerConfig config();

    @Override
    public void close() {
        ports.close();
    }
}
