package dev.spotkeeper.core.workload;

import static java.util.Objects.requireNonNull;

/**
 * A service's own part: one stateful node whose endpoint and data are kept. Today a service is a database
 * ({@link DatabaseSpec}).
 */
public record ServiceExtension(DatabaseSpec database) implements WorkloadExtension {
    public ServiceExtension {
        requireNonNull(database, "database is null");
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.SERVICE;
    }
}
