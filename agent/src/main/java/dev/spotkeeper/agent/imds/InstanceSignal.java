package dev.spotkeeper.agent.imds;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** What the watcher saw in instance metadata. Each distinct signal is delivered once. */
public sealed interface InstanceSignal {
    /** {@code spot/instance-action}: EC2 will stop, hibernate or terminate the instance at {@code time}. */
    record InterruptionNotice(String action, Instant time) implements InstanceSignal {
        public InterruptionNotice {
            requireNonNull(action, "action is null");
            requireNonNull(time, "time is null");
        }
    }

    /** {@code events/recommendations/rebalance}: elevated risk of interruption, no deadline yet. */
    record RebalanceNotice(Instant noticeTime) implements InstanceSignal {
        public RebalanceNotice {
            requireNonNull(noticeTime, "noticeTime is null");
        }
    }

    /** The controller's {@code spotkeeper:evacuate} tag: commit the state by {@code deadline}. */
    record EvacuateTag(Instant deadline) implements InstanceSignal {
        public EvacuateTag {
            requireNonNull(deadline, "deadline is null");
        }
    }
}
