package dev.spotkeeper.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The translator for the controller's services: S3, SQS, DynamoDB, and EC2's launch-only codes. */
class AwsErrorTranslatorServicesTest {
    private static AwsServiceException service(String code, int status) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("said " + code).build())
                .build();
    }

    @ParameterizedTest
    @CsvSource({
        "DynamoDB, PutItem, ProvisionedThroughputExceededException, 400, THROTTLED, wait a few minutes",
        "S3, PutObject, SlowDown, 503, THROTTLED, wait a few minutes",
        "S3, PutObject, NoSuchBucket, 404, INVALID_ARGUMENT, create the bucket first",
        "SQS, ReceiveMessage, AWS.SimpleQueueService.NonExistentQueue, 400, INVALID_ARGUMENT, create the events queue",
        "DynamoDB, GetItem, ResourceNotFoundException, 400, INVALID_ARGUMENT, state table",
        "EC2, RunInstances, IdempotentParameterMismatch, 400, INVALID_ARGUMENT, client token",
        "S3, GetObject, InternalError, 500, UNAVAILABLE, S3 had a server-side problem",
    })
    void translate_mapsServiceCodes_andSaysWhatToDo(String serviceName, String action, String code, int status,
                                                   ErrorCode expected, String advice) {
        SpotkeeperException e = AwsErrorTranslator.translate(service(code, status), serviceName, action, "http://x");

        assertThat(e.code()).isEqualTo(expected);
        assertThat(e.getMessage()).contains(action).contains(code).contains(advice);
    }

    @Test
    void accessDenied_namesThePermissionOfThatService() {
        SpotkeeperException e = AwsErrorTranslator.translate(service("AccessDenied", 403), "S3", "PutObject", "http://x");

        assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).contains("s3:PutObject").doesNotContain("signals");
    }

    @Test
    void unreachableEndpoint_namesTheService() {
        SdkClientException e = SdkClientException.builder().message("Unable to execute HTTP request")
                .cause(new IOException("Connection refused")).build();

        SpotkeeperException t = AwsErrorTranslator.translate(e, "SQS", "ReceiveMessage", "http://127.0.0.1:1");

        assertThat(t.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(t.getMessage()).contains("cannot reach SQS at http://127.0.0.1:1").contains("connection refused");
    }

    @Test
    void call_returnsWhatTheCallReturns_andAsksForTheEndpointOnlyWhenItFails() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<String> endpoint = () -> {
            asked.incrementAndGet();
            return "http://127.0.0.1:1";
        };

        assertThat(AwsErrorTranslator.call("SQS", "SendMessage", endpoint, () -> "sent")).isEqualTo("sent");
        assertThat(asked).hasValue(0);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AwsErrorTranslator.call("DynamoDB", "PutItem", endpoint,
                () -> {
                    throw service("AccessDeniedException", 400);
                }))
                .isInstanceOfSatisfying(SpotkeeperException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
                    assertThat(e.getMessage()).contains("dynamodb:PutItem");
                });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AwsErrorTranslator.call("SQS", "ReceiveMessage",
                endpoint, () -> {
                    throw SdkClientException.builder().message("Unable to execute HTTP request")
                            .cause(new IOException("Connection refused")).build();
                }))
                .isInstanceOfSatisfying(SpotkeeperException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("cannot reach SQS at http://127.0.0.1:1");
                });
        assertThat(asked).hasValue(2);
    }

    @Test
    void call_letsWhatIsNotAnSdkFailureThrough() {
        IllegalStateException bug = new IllegalStateException("a bug in the adapter");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AwsErrorTranslator.call("EC2", "RunInstances",
                () -> "http://x", () -> {
                    throw bug;
                })).isSameAs(bug);
    }
}
