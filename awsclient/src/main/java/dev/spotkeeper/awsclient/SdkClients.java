package dev.spotkeeper.awsclient;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * The one place SDK clients are built: every adapter (EC2, S3, SQS, DynamoDB, FIS, IAM; the agent's S3 and SQS)
 * gets its region, credentials, endpoint override, retries and call timeout from {@link #configure}, and its HTTP
 * client from {@link #urlConnectionHttp} (few calls, fast start, no dependency) or {@link #apacheHttp} (many
 * transfers at once).
 */
public final class SdkClients {
    /** How long opening a connection may take. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private SdkClients() {
    }

    /** Region, credentials, endpoint override, attempts and call timeout from {@code settings} onto any client builder. */
    public static <B extends AwsClientBuilder<B, ?>> B configure(B builder, ClientSettings settings) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.maxAttempts()).build());
        settings.callTimeoutIfSet().ifPresent(override::apiCallTimeout);
        builder.region(Region.of(settings.region()))
                .credentialsProvider(settings.credentials())
                .overrideConfiguration(override.build());
        settings.endpointOverride().ifPresent(builder::endpointOverride);
        return builder;
    }

    /**
     * The credentials to use: {@code given} if not null, else the named profile's, else the SDK's default chain.
     */
    public static AwsCredentialsProvider credentials(AwsCredentialsProvider given, String profile) {
        if (given != null) {
            return given;
        }
        if (profile != null && !profile.isBlank()) {
            return ProfileCredentialsProvider.builder().profileName(profile).build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /**
     * The JDK's URL connection: it starts fast and adds no dependency, which suits a handful of calls. The socket
     * timeout must outlast the longest answer awaited (an SQS long poll holds it for 20 s).
     */
    public static SdkHttpClient urlConnectionHttp(Duration socketTimeout) {
        return UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(socketTimeout).build();
    }

    /** A pooled client for many transfers at once (checkpoint parts in flight plus restores' ranged reads). */
    public static SdkHttpClient apacheHttp(int maxConnections, Duration socketTimeout) {
        return ApacheHttpClient.builder().maxConnections(maxConnections).connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(socketTimeout).build();
    }

    /**
     * S3 as spotkeeper uses it: path-style addressing on an endpoint override (local servers have no DNS for bucket
     * subdomains), bodies sent as {@code UNSIGNED-PAYLOAD} without aws-chunked framing, and the SDK's own checksums
     * only where S3 requires them. Every checkpoint file is verified against its SHA-256 from the manifest, so the
     * SDK's checksums and payload signing would only cost CPU (and some S3-compatible servers reject trailing
     * checksums or parse the chunk framing slowly); S3 itself is reached over TLS.
     */
    public static S3Client s3(ClientSettings settings, SdkHttpClient http) {
        return configure(S3Client.builder(), settings)
                .forcePathStyle(settings.endpoint() != null)
                .authSchemeProvider(unsignedPayload())
                .putAuthScheme(UnsignedPayloadSigner.authScheme())
                .httpClient(http)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    private static S3AuthSchemeProvider unsignedPayload() {
        S3AuthSchemeProvider defaults = S3AuthSchemeProvider.defaultProvider();
        return params -> defaults.resolveAuthScheme(params).stream()
                .map(option -> option.toBuilder()
                        .putSignerProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putSignerProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, false)
                        .build())
                .toList();
    }
}
