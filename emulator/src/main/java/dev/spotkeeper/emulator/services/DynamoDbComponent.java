package dev.spotkeeper.emulator.services;

import dev.spotkeeper.emulator.services.internal.DynamoDbLocalProcess;
import dev.spotkeeper.emulator.services.internal.ForwardingHandler;
import dev.spotkeeper.emulator.services.internal.HttpForwarder;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Embedded DynamoDB (DynamoDB Local, one shared database for every credential and region) in a child JVM on an
 * ephemeral 127.0.0.1 port, reachable through the edge under the signing name {@code dynamodb}. The tables are in
 * memory, or with {@link ServicesOptions#persistentDynamoDb()} in {@code <work dir>/dynamodb}, where the next
 * emulator started in that directory finds them. The child JVM exists because DynamoDB Local and S3Proxy need
 * different Jetty major versions.
 */
public final class DynamoDbComponent implements EmulatorComponent {
    private final boolean persistent;
    private DynamoDbLocalProcess process;
    private URI edge;
    private Path storage;

    public DynamoDbComponent() {
        this(false);
    }

    public DynamoDbComponent(boolean persistent) {
        this.persistent = persistent;
    }

    @Override
    public void start(EmulatorContext context) throws Exception {
        storage = persistent ? context.workDirectory().resolve("dynamodb") : null;
        process = DynamoDbLocalProcess.start(context.workDirectory(), storage);
        edge = context.endpoint();
        context.register(new ForwardingHandler("dynamodb", new HttpForwarder(process.endpoint())));
    }

    public URI directEndpoint() {
        return process.endpoint();
    }

    @Override
    public List<String> describe() {
        return List.of("DynamoDB:  " + edge + " (direct " + process.endpoint() + ", "
                + (storage == null ? "in memory" : "tables in " + storage) + ")");
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
            process = null;
        }
    }
}
