package dev.spotkeeper.core.protocol;

/**
 * The instance and resource tags spotkeeper reads and writes (docs/job-runtime.md), named once: the controller tags
 * its launches with them, the agent reads {@link #EVACUATE} and {@link #START} from instance metadata, the AWS
 * adapters filter on them and the chaos command targets by them.
 */
public final class Tags {
    /** {@code true} on every instance spotkeeper launches: found again after a crash by this tag. */
    public static final String MANAGED = "spotkeeper:managed";
    /** The workload an instance (or a chaos template, an IAM role) serves. */
    public static final String WORKLOAD = "spotkeeper:workload";
    /** 1, 2, …: the n-th instance of the workload; the launch's client token is {@code <workload>-<generation>}. */
    public static final String GENERATION = "spotkeeper:generation";
    /** The instance a replacement replaces, or empty. */
    public static final String REPLACES = "spotkeeper:replaces";
    /** An ISO-8601 deadline: set by the controller to ask the agent to commit its state now. */
    public static final String EVACUATE = "spotkeeper:evacuate";
    /** What the agent starts the job from: {@code newest} or a checkpoint id; until it is set, the agent waits. */
    public static final String START = "spotkeeper:start";
    /** The value of {@link #START} that names the newest complete checkpoint rather than one by its id. */
    public static final String NEWEST = "newest";
    /** On a fault-injection template: its name; on an instance: {@code next} marks the chaos command's target. */
    public static final String CHAOS = "spotkeeper:chaos";
    /** On a fault-injection template: the fault it injects. */
    public static final String FAULT = "spotkeeper:fault";

    private Tags() {
    }
}
