package dev.spotkeeper.core.workload;

/**
 * A fleet's own part (N stateless replicas behind a load balancer). Declared so that the spec's shape and its JSON
 * have the place; it has no fields yet, because the controller does not run fleets yet and the fields come with
 * the kind.
 */
public record FleetExtension() implements WorkloadExtension {
    @Override
    public WorkloadKind kind() {
        return WorkloadKind.FLEET;
    }
}
