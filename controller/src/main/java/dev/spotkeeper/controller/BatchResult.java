package dev.spotkeeper.controller;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.cloud.QueueMessage;
import java.util.List;

/**
 * What {@link Controller#handle} did with a batch of messages: the counts, and the messages whose handling failed
 * (to be delivered again), in the batch's order.
 */
public record BatchResult(RunSummary summary, List<QueueMessage> failed) {
    public BatchResult {
        requireNonNull(summary, "summary is null");
        failed = List.copyOf(failed);
    }
}
