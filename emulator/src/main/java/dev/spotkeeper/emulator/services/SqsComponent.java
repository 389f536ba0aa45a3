package dev.spotkeeper.emulator.services;

import dev.spotkeeper.emulator.services.internal.ForwardingHandler;
import dev.spotkeeper.emulator.services.internal.HttpForwarder;
import dev.spotkeeper.emulator.services.internal.QuietLogs;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import java.net.URI;
import java.util.List;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * Embedded SQS (ElasticMQ, in memory) on an ephemeral 127.0.0.1 port, reachable through the edge under the
 * signing name {@code sqs}. Queue URLs name the edge endpoint, so clients can use them as returned.
 */
public final class SqsComponent implements EmulatorComponent {
    /** Where other components find the embedded SQS server. */
    public record SqsEndpoints(URI direct, URI edge) {
    }

    private final ServicesOptions options;
    private SQSRestServer server;
    private SqsEndpoints endpoints;

    public SqsComponent(ServicesOptions options) {
        this.options = options;
    }

    @Override
    public void start(EmulatorContext context) {
        QuietLogs.apply();
        URI edge = context.endpoint();
        server = SQSRestServerBuilder
                .withInterface("127.0.0.1")
                .withDynamicPort()
                .withServerAddress(new NodeAddress(edge.getScheme(), edge.getHost(), edge.getPort(), ""))
                .withAWSRegion(options.region())
                .withAWSAccountId(options.accountId())
                .start();
        int port = server.waitUntilStarted().localAddress().getPort();
        URI direct = URI.create("http://127.0.0.1:" + port);
        endpoints = new SqsEndpoints(direct, edge);
        context.provide(SqsEndpoints.class, endpoints);
        context.register(new ForwardingHandler("sqs", new HttpForwarder(direct)));
    }

    public SqsEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public List<String> describe() {
        return List.of("SQS:       " + endpoints.edge() + " (direct " + endpoints.direct() + ")");
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.stopAndWait();
            } catch (RuntimeException e) {
                // best effort: the actor system is gone with the process anyway
            }
            server = null;
        }
    }
}
