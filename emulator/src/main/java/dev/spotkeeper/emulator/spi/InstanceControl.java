package dev.spotkeeper.emulator.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What other emulator parts (FIS, event delivery) may see and do to the emulated EC2 instances. */
public interface InstanceControl {
    /** A read-only view of one instance. */
    record InstanceView(String instanceId, String state, boolean spot, String availabilityZone, String region,
                        String instanceType, Map<String, String> tags) {
        public InstanceView {
            tags = Map.copyOf(tags);
        }
    }

    List<InstanceView> instances();

    /**
     * Interrupts a spot instance as AWS does: the rebalance recommendation at once, the interruption warning
     * {@code beforeTermination − 2 min} from now (at once when that is under two minutes), termination at
     * {@code beforeTermination}. Returns false when the instance is not a running spot instance.
     */
    boolean interrupt(String instanceId, Duration beforeTermination);

    /**
     * Terminates an instance as TerminateInstances does, with no warning (FIS {@code aws:ec2:terminate-instances});
     * false when it is not pending or running.
     */
    boolean terminate(String instanceId);

    /**
     * The port of 127.0.0.1 where the instance's own {@code port} is reached (emulated instances share one address,
     * so each has ports of its own; the instance learns the same number from its metadata at
     * {@code /latest/meta-data/spotkeeper/host-port/<port>}). Empty for an unknown instance.
     */
    java.util.OptionalInt hostPort(String instanceId, int port);
}
