package dev.spotkeeper.agent;

import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.S3ObjectStore;
import dev.spotkeeper.awsclient.SdkClients;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The agent's SDK clients, from the environment the way the AWS CLI reads it ({@link ClientSettings#fromEnvironment})
 * and built by the one factory ({@link SdkClients}). No call timeout: a checkpoint file may take long to upload.
 */
public final class AgentClients {
    /** Enough connections for every part in flight plus restores' ranged reads. */
    static final int MAX_CONNECTIONS = 64;
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private AgentClients() {
    }

    public static S3Client s3(Map<String, String> env) {
        return s3(env, DefaultCredentialsProvider.builder().build());
    }

    public static S3Client s3(Map<String, String> env, AwsCredentialsProvider credentials) {
        return SdkClients.s3(ClientSettings.fromEnvironment(env, credentials),
                SdkClients.apacheHttp(MAX_CONNECTIONS, SOCKET_TIMEOUT));
    }

    /** One object's bytes (empty when it does not exist), through a client made for this one read. */
    public static Optional<byte[]> getObject(Map<String, String> env, String bucket, String key) {
        try (S3Client s3 = s3(env)) {
            return new S3ObjectStore(s3, bucket).getBytes(key);
        }
    }

    public static SqsClient sqs(Map<String, String> env) {
        return sqs(env, DefaultCredentialsProvider.builder().build());
    }

    public static SqsClient sqs(Map<String, String> env, AwsCredentialsProvider credentials) {
        return SdkClients.configure(SqsClient.builder(), ClientSettings.fromEnvironment(env, credentials))
                .httpClient(SdkClients.apacheHttp(4, SOCKET_TIMEOUT)).build();
    }
}
