package dev.spotkeeper.core.workload;

/**
 * A service's own part (one stateful node whose endpoint and data are kept). Declared so that the spec's shape and
 * its JSON have the place; it has no fields yet, because the controller does not run services yet and the fields
 * come with the kind.
 */
public record ServiceExtension() implements WorkloadExtension {
    @Override
    public WorkloadKind kind() {
        return WorkloadKind.SERVICE;
    }
}
