package dev.spotkeeper.emulator.services.lambda;

import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import dev.spotkeeper.emulator.spi.FunctionInvoker;
import dev.spotkeeper.emulator.spi.StackResourceProvider;
import java.util.List;

/**
 * AWS Lambda at the edge (signing name {@code lambda}): Java functions run in the emulator's JVM, each in a class
 * loader of its own, and SQS event-source mappings (when SQS started before it); published to other components as {@link LambdaFunctions} and as the {@link FunctionInvoker}
 * EventBridge's Lambda targets use. Functions live in memory (their code under {@code lambda/} in the work directory).
 */
public final class LambdaComponent implements EmulatorComponent {
    private final ServicesOptions options;
    private LambdaFunctions functions;
    private EventSourceMappings mappings;
    private String endpoint;

    public LambdaComponent(ServicesOptions options) {
        this.options = options;
    }

    @Override
    public void start(EmulatorContext context) {
        functions = new LambdaFunctions(options.region(), options.accountId(), context.clock(),
                context.workDirectory().resolve("lambda"), context.endpoint());
        context.provide(LambdaFunctions.class, functions);
        context.provide(FunctionInvoker.class, functions);
        mappings = context.lookup(dev.spotkeeper.emulator.services.SqsComponent.SqsEndpoints.class)
                .map(e -> new EventSourceMappings(functions, new dev.spotkeeper.emulator.services.events.SqsJsonClient(
                        e.direct()), options.region())).orElse(null);
        if (mappings != null) {
            context.provide(EventSourceMappings.class, mappings);
        }
        context.register(new LambdaHandler(functions, mappings));
        StackResourceProvider.register(context, new FunctionResources(functions, mappings, context.endpoint(),
                context.seed() ^ 0x4C414D42L));
        endpoint = context.endpoint().toString();
    }

    @Override
    public List<String> describe() {
        return List.of("Lambda:    " + endpoint + " (" + String.join(", ", LambdaHandler.ACTIONS) + "; Java functions in"
                + " this JVM)");
    }

    @Override
    public void close() {
        if (mappings != null) {
            mappings.close();
        }
        if (functions != null) {
            functions.close();
        }
    }
}
