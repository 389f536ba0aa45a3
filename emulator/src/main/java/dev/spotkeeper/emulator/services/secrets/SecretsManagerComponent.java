package dev.spotkeeper.emulator.services.secrets;

import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import java.nio.file.Path;
import java.util.List;

/**
 * AWS Secrets Manager at the edge (signing name {@code secretsmanager}): the few calls a service's instance needs to
 * keep its generated passwords. Secrets live in {@code secretsmanager/secrets.json} in the emulator's work
 * directory, a file of mode 0600, so they outlive a restart of an emulator that keeps its directory.
 */
public final class SecretsManagerComponent implements EmulatorComponent {
    /** The file below the emulator's work directory. */
    public static final String FILE = "secretsmanager/secrets.json";

    private final ServicesOptions options;
    private String endpoint;

    public SecretsManagerComponent(ServicesOptions options) {
        this.options = options;
    }

    @Override
    public void start(EmulatorContext context) {
        Path file = context.workDirectory().resolve(FILE);
        SecretVault vault = new SecretVault(file, context.clock(), options.region(), options.accountId());
        context.register(new SecretsManagerHandler(vault));
        endpoint = context.endpoint().toString();
    }

    @Override
    public List<String> describe() {
        return List.of("Secrets Manager: " + endpoint + " (" + String.join(", ", SecretsManagerHandler.actions()) + ")");
    }

    @Override
    public void close() {
        // Every change is already on disk.
    }
}
