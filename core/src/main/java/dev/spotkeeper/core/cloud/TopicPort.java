package dev.spotkeeper.core.cloud;

import java.util.Map;

/**
 * Publishing to a notification topic (SNS on AWS and on the emulator). Failures are {@code SpotkeeperException}s:
 * {@code TRANSIENT} ones may be retried.
 */
public interface TopicPort {
    /**
     * Publishes one message to the topic.
     *
     * @param subject plain ASCII, under 100 characters, no line breaks (what SNS allows: email subscribers see it)
     * @param attributes string message attributes
     * @return the id the topic gave the message
     */
    String publish(String topicArn, String subject, String message, Map<String, String> attributes);
}
