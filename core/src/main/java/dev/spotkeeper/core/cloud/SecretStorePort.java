package dev.spotkeeper.core.cloud;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Secrets by name, the way AWS Secrets Manager keeps them: a service's generated passwords, which no spec, user
 * data, file or log line holds; those carry only the secret's name. Failures are {@code SpotkeeperException}s that
 * never quote a value; no SDK type crosses.
 */
public interface SecretStorePort {
    /**
     * Creates the secret with that value. False, and the secret left as it is, when one of that name exists
     * already.
     */
    boolean create(String name, String value);

    /** The current value; empty when no secret has that name. */
    Optional<String> value(String name);

    /** Gives an existing secret a new current value. */
    void put(String name, String value);

    /** Deletes the secret at once, with no recovery window; nothing happens when there is none of that name. */
    void delete(String name);

    /**
     * The secret's value, created from {@code generate} when there is none: of two callers racing, the one that
     * created it wins and both get its value.
     */
    default String valueOrCreate(String name, Supplier<String> generate) {
        Optional<String> existing = value(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        String fresh = generate.get();
        if (create(name, fresh)) {
            return fresh;
        }
        return value(name).orElseThrow(() -> SpotkeeperException.of(ErrorCode.UNAVAILABLE,
                "the secret '" + name + "' exists but has no value yet; try again"));
    }
}
