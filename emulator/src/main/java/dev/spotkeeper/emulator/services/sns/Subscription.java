package dev.spotkeeper.emulator.services.sns;

/**
 * One subscription of a topic. An HTTP one is pending until its endpoint confirms it with the token it was sent;
 * an SQS one is confirmed at once, as SNS does for a queue of the same account.
 */
final class Subscription {
    final String arn;
    final String topicArn;
    final String protocol;
    final String endpoint;
    final String token;
    final boolean raw;
    volatile boolean confirmed;

    Subscription(String arn, String topicArn, String protocol, String endpoint, String token, boolean raw,
                 boolean confirmed) {
        this.arn = arn;
        this.topicArn = topicArn;
        this.protocol = protocol;
        this.endpoint = endpoint;
        this.token = token;
        this.raw = raw;
        this.confirmed = confirmed;
    }

    /** What ListSubscriptionsByTopic shows as its ARN. */
    String shownArn() {
        return confirmed ? arn : "PendingConfirmation";
    }
}
