package dev.spotkeeper.emulator.services.lambda;

import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import dev.spotkeeper.emulator.spi.FunctionInvoker;
import java.util.List;

/**
 * AWS Lambda at the edge (signing name {@code lambda}): Java functions run in the emulator's JVM, each in a class
 * loader of its own; published to other components as {@link LambdaFunctions} and as the {@link FunctionInvoker}
 * EventBridge's Lambda targets use. Functions live in memory (their code under {@code lambda/} in the work directory).
 */
public final class LambdaComponent implements EmulatorComponent {
    private final ServicesOptions options;
    private LambdaFunctions functions;
    private String endpoint;

    public LambdaComponent(ServicesOptions options) {
        this.options = options;
    }

    @Override
    public void start(EmulatorContext context) {
        functions = new LambdaFunctions(options.region(), options.accountId(), context.clock(),
                context.workDirectory().resolve("lambda"));
        context.provide(LambdaFunctions.class, functions);
        context.provide(FunctionInvoker.class, functions);
        context.register(new LambdaHandler(functions));
        endpoint = context.endpoint().toString();
    }

    @Override
    public List<String> describe() {
        return List.of("Lambda:    " + endpoint + " (" + String.join(", ", LambdaHandler.ACTIONS) + "; Java functions in"
                + " this JVM)");
    }

    @Override
    public void close() {
        if (functions != null) {
            functions.close();
        }
    }
}
