package dev.spotkeeper.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorTranslatorTest {
    private static AwsServiceException service(String code, int status) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("said " + code).build())
                .build();
    }

    @ParameterizedTest
    @CsvSource({
        "RequestLimitExceeded, 503, THROTTLED",
        "UnauthorizedOperation, 403, ACCESS_DENIED",
        "AuthFailure, 401, ACCESS_DENIED",
        "InsufficientInstanceCapacity, 500, INSUFFICIENT_CAPACITY",
        "VcpuLimitExceeded, 400, QUOTA_EXCEEDED",
        "MaxSpotInstanceCountExceeded, 400, QUOTA_EXCEEDED",
        "SpotMaxPriceTooLow, 400, SPOT_PRICE_TOO_LOW",
        "InvalidParameterValue, 400, INVALID_ARGUMENT",
        "InternalError, 500, UNAVAILABLE",
        "SomethingNew, 400, CLOUD_ERROR",
    })
    void translate_mapsEc2ErrorCodes(String code, int status, ErrorCode expected) {
        SpotkeeperException e = AwsErrorTranslator.translate(service(code, status), "RunInstances", "https://ec2");

        assertThat(e.code()).isEqualTo(expected);
        assertThat(e.getMessage()).contains(code).contains("said " + code).contains("RunInstances");
    }

    @Test
    void translate_unauthorized_namesTheIamPermissions() {
        SpotkeeperException e = AwsErrorTranslator.translate(service("UnauthorizedOperation", 403),
                "GetSpotPlacementScores", "https://ec2");

        assertThat(e.getMessage()).contains("ec2:GetSpotPlacementScores").contains("ec2:DescribeSpotPriceHistory")
                .contains("ec2:DescribeAvailabilityZones");
    }

    @Test
    void translate_vcpuLimit_saysHowToRaiseTheQuota() {
        SpotkeeperException e = AwsErrorTranslator.translate(service("VcpuLimitExceeded", 400), "RunInstances", "x");

        assertThat(e.getMessage()).contains("Service Quotas").contains(AwsErrorTranslator.STANDARD_SPOT_VCPU_QUOTA);
    }

    @Test
    void translate_a401WithoutBody_isRejectedCredentials() {
        AwsServiceException bare = AwsServiceException.builder().statusCode(401).message("(Service: Ec2)").build();

        SpotkeeperException e = AwsErrorTranslator.translate(bare, "DescribeSpotPriceHistory", "x");

        assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).contains("rejected the credentials");
    }

    @Test
    void translate_missingCredentials_saysHowToConfigureThem() {
        SdkClientException chain = SdkClientException.create("Unable to load credentials from any of the providers "
                + "in the chain AwsCredentialsProviderChain(credentialsProviders=[...]) : [...]");

        SpotkeeperException e = AwsErrorTranslator.translate(chain, "DescribeSpotPriceHistory", "x");

        assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS_MISSING);
        assertThat(e.getMessage()).startsWith("no AWS credentials found").contains("aws configure")
                .contains("--profile").doesNotContain("AwsCredentialsProviderChain");
    }

    @Test
    void translate_connectionRefused_isUnavailableAndNamesTheEndpoint() {
        SdkClientException down = SdkClientException.create("Unable to execute HTTP request",
                new UncheckedIOException(new ConnectException("Connection refused")));

        SpotkeeperException e = AwsErrorTranslator.translate(down, "DescribeSpotPriceHistory", "http://127.0.0.1:9");

        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.getMessage()).contains("http://127.0.0.1:9 (connection refused)");
    }
}
