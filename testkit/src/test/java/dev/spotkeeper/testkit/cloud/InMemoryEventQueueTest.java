package dev.spotkeeper.testkit.cloud;

import dev.spotkeeper.core.cloud.EventQueuePort;
import java.time.Clock;
import java.time.Duration;

/** The in-memory queue keeps the same contract as SQS (with a real clock, so redelivery happens on its own). */
class InMemoryEventQueueTest extends EventQueuePortContract {
    @Override
    protected EventQueuePort newQueue() {
        return new InMemoryEventQueue(Clock.systemUTC(), visibilityTimeout());
    }

    @Override
    protected Duration visibilityTimeout() {
        return Duration.ofSeconds(1);
    }
}
