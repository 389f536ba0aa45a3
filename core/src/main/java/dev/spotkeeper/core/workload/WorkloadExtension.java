package dev.spotkeeper.core.workload;

/**
 * What only one kind of workload has, on top of the common part of {@link WorkloadSpec}; the extension's type is
 * the workload's kind, so a spec cannot say one kind and carry another's fields.
 */
public sealed interface WorkloadExtension permits JobExtension, ServiceExtension, FleetExtension {
    WorkloadKind kind();
}
