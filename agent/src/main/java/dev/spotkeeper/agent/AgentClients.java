package dev.spotkeeper.agent;

import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.S3ObjectStore;
import dev.spotkeeper.awsclient.SdkClients;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
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

    /** Object stores on one S3 client from the environment, without SDK types for the caller. */
    public static final class Stores implements AutoCloseable {
        private final BiFunction<String, String, ObjectStore> open;
        private final Runnable close;

        private Stores(BiFunction<String, String, ObjectStore> open, Runnable close) {
            this.open = open;
            this.close = close;
        }

        /** Keys relative to {@code prefix} (empty for the whole bucket). */
        public ObjectStore store(String bucket, String prefix) {
            return open.apply(bucket, prefix);
        }

        @Override
        public void close() {
            close.run();
        }
    }

    public static Stores stores(Map<String, String> env) {
        S3Client s3 = s3(env);
        return new Stores((bucket, prefix) -> new S3ObjectStore(s3, bucket, prefix), s3::close);
    }

    public static SqsClient sqs(Map<String, String> env) {
        return sqs(env, DefaultCredentialsProvider.builder().build());
    }

    public static SqsClient sqs(Map<String, String> env, AwsCredentialsProvider credentials) {
        return SdkClients.configure(SqsClient.builder(), ClientSettings.fromEnvironment(env, credentials))
                .httpClient(SdkClients.apacheHttp(4, SOCKET_TIMEOUT)).build();
    }
}
