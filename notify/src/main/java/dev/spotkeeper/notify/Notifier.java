package dev.spotkeeper.notify;

/**
 * One sink of one workload's notifications: a Slack channel, an SNS topic, a webhook. {@link #send} is called on the
 * sink's own thread, never in a controller pass, and again with the same message (same {@link Message#id()}) when
 * it failed, so a receiver can recognise a retried message.
 */
public interface Notifier {
    /** What it sends to, for logs and reports: the kind of sink and the host or topic, never a URL path or token. */
    String describe();

    /** Sends the message; an outcome, not an exception, for what the receiver answered. */
    Delivery send(Message message);
}
