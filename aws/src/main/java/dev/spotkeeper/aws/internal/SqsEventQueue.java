package dev.spotkeeper.aws.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.cloud.QueueMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@link EventQueuePort} on one SQS queue. Receives long-poll (SQS waits up to 20 s for a first message and
 * returns at most 10), so an idle controller makes three calls a minute, not a busy loop.
 */
public final class SqsEventQueue implements EventQueuePort {
    /** SQS's limits on one ReceiveMessage: "MaxNumberOfMessages" 1–10, "WaitTimeSeconds" 0–20. */
    static final int MAX_MESSAGES = 10;
    static final int MAX_WAIT_SECONDS = 20;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String endpoint;

    public SqsEventQueue(SqsClient sqs, String queueUrl, String endpoint) {
        this.sqs = requireNonNull(sqs, "sqs is null");
        this.queueUrl = requireNonNull(queueUrl, "queueUrl is null");
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
    }

    public String queueUrl() {
        return queueUrl;
    }

    @Override
    public List<QueueMessage> receive(int max, Duration wait) {
        if (max < 1) {
            throw SpotkeeperException.invalidArgument("receive wants at least one message, asked for " + max);
        }
        int count = Math.min(max, MAX_MESSAGES);
        int seconds = (int) Math.min(Math.max(0, wait.toSeconds()), MAX_WAIT_SECONDS);
        return call("ReceiveMessage", () -> sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                .maxNumberOfMessages(count).waitTimeSeconds(seconds)).messages().stream()
                .map(m -> new QueueMessage(m.body(), m.receiptHandle())).toList());
    }

    @Override
    public void delete(QueueMessage message) {
        call("DeleteMessage", () -> sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receipt())));
    }

    @Override
    public void send(String body) {
        call("SendMessage", () -> sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body)));
    }

    /**
     * Creates the events queue, or finds it when it exists, and returns its URL. SSE-SQS rather than a KMS key:
     * EventBridge cannot deliver to a queue encrypted with the AWS-managed KMS key ("Amazon SQS permissions",
     * EventBridge user guide). Five minutes' retention: an event older than that is history, not a signal.
     */
    public static String createQueue(SqsClient sqs, String name, String endpoint) {
        Map<QueueAttributeName, String> attributes = Map.of(
                QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "true",
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, "300");
        try {
            return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
        } catch (SdkException e) {
            throw AwsErrorTranslator.translate(e, "SQS", "CreateQueue", endpoint);
        }
    }

    private <T> T call(String action, Supplier<T> body) {
        return AwsErrorTranslator.call("SQS", action, () -> endpoint, body);
    }
}
