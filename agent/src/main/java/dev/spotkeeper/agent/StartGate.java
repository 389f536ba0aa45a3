package dev.spotkeeper.agent;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * When, and from which checkpoint, the agent may start the job. A replacement prepares at once (restore, source,
 * setup) but starts only when the controller says so, so that one instance at a time runs the job: the controller
 * sets the instance tag {@code spotkeeper:start} once the instance being replaced has stopped its job, naming the
 * checkpoint it committed, or {@code newest} (docs/job-runtime.md).
 */
public interface StartGate {
    /** What to start from ({@code newest} or a checkpoint id) if the start was already given; empty to wait. */
    Optional<String> now();

    /** Waits for the start; empty when {@code abandon} became true first (the instance is being evacuated). */
    Optional<String> await(BooleanSupplier abandon);

    /** A gate that is always open, from the newest checkpoint: an agent outside EC2 has no controller to wait for. */
    static StartGate open() {
        return new StartGate() {
            @Override
            public Optional<String> now() {
                return Optional.of(dev.spotkeeper.agent.checkpoint.CheckpointStore.NEWEST);
            }

            @Override
            public Optional<String> await(BooleanSupplier abandon) {
                return now();
            }
        };
    }
}
