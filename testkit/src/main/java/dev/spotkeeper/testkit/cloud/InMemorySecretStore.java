package dev.spotkeeper.testkit.cloud;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.SecretStorePort;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link SecretStorePort} in memory. */
public final class InMemorySecretStore implements SecretStorePort {
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    @Override
    public boolean create(String name, String value) {
        return secrets.putIfAbsent(name, value) == null;
    }

    @Override
    public Optional<String> value(String name) {
        return Optional.ofNullable(secrets.get(name));
    }

    @Override
    public void put(String name, String value) {
        if (secrets.computeIfPresent(name, (k, v) -> value) == null) {
            throw SpotkeeperException.invalidArgument("PutSecretValue failed: Secrets Manager can't find the"
                    + " specified secret '" + name + "'");
        }
    }

    @Override
    public void delete(String name) {
        secrets.remove(name);
    }
}
