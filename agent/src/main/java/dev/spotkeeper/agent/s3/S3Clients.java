package dev.spotkeeper.agent.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the AWS clients from the environment the way the AWS CLI reads it: {@code AWS_ENDPOINT_URL} overrides the
 * endpoint (with path-style addressing, which local servers need), the region comes from {@code AWS_REGION} or
 * {@code AWS_DEFAULT_REGION}, credentials from the SDK's default chain.
 */
public final class S3Clients {
    /** Enough connections for every part in flight plus restores' ranged reads. */
    static final int MAX_CONNECTIONS = 64;

    private S3Clients() {
    }

    public static S3Client s3(Map<String, String> env) {
        return s3(env, DefaultCredentialsProvider.builder().build());
    }

    public static S3Client s3(Map<String, String> env, AwsCredentialsProvider credentials) {
        var builder = S3Client.builder()
                .region(region(env))
                .credentialsProvider(credentials)
                .authSchemeProvider(unsignedPayload())
                .putAuthScheme(UnsignedPayloadSigner.authScheme())
                .httpClient(ApacheHttpClient.builder().maxConnections(MAX_CONNECTIONS)
                        .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(60)).build())
                // Every file is verified against its SHA-256 from the manifest, so the SDK's own checksums
                // would only cost CPU (and some S3-compatible servers reject trailing checksums).
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        String endpoint = env.get("AWS_ENDPOINT_URL");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        return builder.build();
    }

    /**
     * Sends bodies as {@code UNSIGNED-PAYLOAD} without aws-chunked framing: the SDK would otherwise hash every byte
     * a second time for the signature over plain HTTP (local endpoints), and S3-compatible servers parse the chunk
     * framing slowly. Integrity does not suffer: S3 is reached over TLS and every file is checked against the
     * manifest's SHA-256 when it is restored.
     */
    private static S3AuthSchemeProvider unsignedPayload() {
        S3AuthSchemeProvider defaults = S3AuthSchemeProvider.defaultProvider();
        return params -> defaults.resolveAuthScheme(params).stream()
                .map(option -> option.toBuilder()
                        .putSignerProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putSignerProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, false)
                        .build())
                .toList();
    }

    public static SqsClient sqs(Map<String, String> env) {
        return sqs(env, DefaultCredentialsProvider.builder().build());
    }

    public static SqsClient sqs(Map<String, String> env, AwsCredentialsProvider credentials) {
        var builder = SqsClient.builder().region(region(env)).credentialsProvider(credentials)
                .httpClient(ApacheHttpClient.builder().maxConnections(4).build());
        String endpoint = env.get("AWS_ENDPOINT_URL");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    static Region region(Map<String, String> env) {
        String region = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
        return Region.of(region == null || region.isBlank() ? "us-east-1" : region);
    }
}
