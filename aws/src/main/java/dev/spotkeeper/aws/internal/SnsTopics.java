package dev.spotkeeper.aws.internal;

import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.TopicPort;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * SNS topics behind core's {@link TopicPort}: a topic is published to in its own region (from its ARN), one client
 * per region.
 */
public final class SnsTopics implements TopicPort, AutoCloseable {
    private final Function<String, SnsClient> clientFor;
    private final Function<String, String> endpointFor;
    private final Map<String, SnsClient> clients = new ConcurrentHashMap<>();

    /** @param clientFor makes the SNS client of a region; {@code endpointFor} names its endpoint in errors */
    public SnsTopics(Function<String, SnsClient> clientFor, Function<String, String> endpointFor) {
        this.clientFor = clientFor;
        this.endpointFor = endpointFor;
    }

    @Override
    public String publish(String topicArn, String subject, String message, Map<String, String> attributes) {
        String region = region(topicArn);
        Map<String, MessageAttributeValue> attrs = new LinkedHashMap<>();
        attributes.forEach((k, v) -> attrs.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v)
                .build()));
        try {
            return client(region).publish(b -> b.topicArn(topicArn).subject(subject).message(message)
                    .messageAttributes(attrs)).messageId();
        } catch (SdkException e) {
            throw AwsErrorTranslator.translate(e, "SNS", "Publish", endpointFor.apply(region));
        }
    }

    /** The SNS client of the region, for setting topics up (tests, the demo). */
    public SnsClient client(String region) {
        return clients.computeIfAbsent(region, clientFor);
    }

    static String region(String topicArn) {
        String[] parts = topicArn.split(":");
        if (parts.length < 6 || !parts[0].equals("arn") || !parts[2].equals("sns")) {
            throw SpotkeeperException.invalidArgument("'" + topicArn + "' is not an SNS topic ARN"
                    + " (arn:aws:sns:REGION:ACCOUNT:NAME)");
        }
        return parts[3];
    }

    @Override
    public void close() {
        clients.values().forEach(SnsClient::close);
    }
}
