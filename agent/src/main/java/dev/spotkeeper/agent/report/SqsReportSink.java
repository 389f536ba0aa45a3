package dev.spotkeeper.agent.report;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Sends reports to the SQS events queue the EventBridge rules also feed; closing it closes its client. */
public final class SqsReportSink implements ReportSink, AutoCloseable {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsReportSink(SqsClient sqs, String queueUrl) {
        this.sqs = requireNonNull(sqs, "sqs is null");
        this.queueUrl = requireNonNull(queueUrl, "queueUrl is null");
    }

    @Override
    public void send(String envelope) {
        try {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(envelope));
        } catch (SdkException e) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "cannot send a report to " + queueUrl + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        sqs.close();
    }
}
