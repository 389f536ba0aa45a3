package dev.spotkeeper.core.workload;

/** What kind of work a workload is, which decides how it is kept alive. */
public enum WorkloadKind {
    /** Batch work or ML training: run to completion from checkpoints. */
    JOB,
    /** One stateful node (a database): endpoint and data kept. */
    SERVICE,
    /** N stateless replicas behind a load balancer: capacity kept. */
    FLEET
}
