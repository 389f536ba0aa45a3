package dev.spotkeeper.agent.database;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.cloud.SecretStorePort;
import java.security.SecureRandom;

/**
 * A service's two passwords (root, and the application user's), generated on the instance at first start and kept
 * in the secret store under names derived from the workload ({@code spotkeeper/<workload>/root},
 * {@code spotkeeper/<workload>/app}); the spec and user data carry only those names.
 */
public final class DatabaseSecrets {
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int LENGTH = 32;

    private final SecretStorePort store;
    private final String workload;
    private final SecureRandom random = new SecureRandom();

    public DatabaseSecrets(SecretStorePort store, String workload) {
        this.store = requireNonNull(store, "store is null");
        this.workload = requireNonNull(workload, "workload is null");
    }

    public static String rootName(String workload) {
        return "spotkeeper/" + workload + "/root";
    }

    public static String appName(String workload) {
        return "spotkeeper/" + workload + "/app";
    }

    /** The replication user's password, which each primary replaces at its start (see {@link #newReplication}). */
    public static String replicationName(String workload) {
        return "spotkeeper/" + workload + "/replication";
    }

    /** The current primary's replication password, if one was set. */
    java.util.Optional<String> replication() {
        return store.value(replicationName(workload));
    }

    /** A fresh replication password, stored: a primary sets it on its replication user at its start. */
    String newReplication() {
        String fresh = generate();
        if (!store.create(replicationName(workload), fresh)) {
            store.put(replicationName(workload), fresh);
        }
        return fresh;
    }

    /** The root password, generated and stored when there is none yet. */
    String root() {
        return store.valueOrCreate(rootName(workload), this::generate);
    }

    /** The application user's password, generated and stored when there is none yet. */
    String app() {
        return store.valueOrCreate(appName(workload), this::generate);
    }

    /** Letters and digits only, so a password needs no quoting in SQL; 32 of 57 symbols, about 186 bits. */
    private String generate() {
        StringBuilder sb = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
