package dev.spotkeeper.aws;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.SdkClients;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * How spotkeeper reaches AWS: an optional endpoint (a local emulator answers instead of AWS, with no change
 * elsewhere), an optional named profile, else the SDK's standard credential chain.
 *
 * @param endpoint where every EC2 call goes instead of {@code https://ec2.REGION.amazonaws.com}, or null
 * @param profile the profile in {@code ~/.aws/config} and {@code ~/.aws/credentials} to use, or null
 * @param credentials credentials that replace both the profile and the chain (tests, embedding), or null
 * @param maxAttempts attempts per call including the first; the SDK backs off between them
 * @param callTimeout the longest one call may take, retries included
 */
public record AwsSettings(URI endpoint, String profile, AwsCredentialsProvider credentials, int maxAttempts,
        Duration callTimeout) {

    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);

    public AwsSettings {
        requireNonNull(callTimeout, "callTimeout is null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (profile != null && profile.isBlank()) {
            profile = null;
        }
    }

    /** The standard chain, AWS's own endpoints, three attempts per call. */
    public static AwsSettings defaults() {
        return new AwsSettings(null, null, null, DEFAULT_MAX_ATTEMPTS, DEFAULT_CALL_TIMEOUT);
    }

    public AwsSettings withEndpoint(URI endpoint) {
        return new AwsSettings(endpoint, profile, credentials, maxAttempts, callTimeout);
    }

    public AwsSettings withProfile(String profile) {
        return new AwsSettings(endpoint, profile, credentials, maxAttempts, callTimeout);
    }

    public AwsSettings withCredentials(AwsCredentialsProvider credentials) {
        return new AwsSettings(endpoint, profile, credentials, maxAttempts, callTimeout);
    }

    /** A fixed key pair (the emulator's generated one, a local plane's): no profile, no chain. */
    public AwsSettings withStaticKeys(String accessKeyId, String secretAccessKey) {
        return withCredentials(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
    }

    /** Temporary credentials (a role's session, as Lambda gives a function), or a key pair when the token is null. */
    public AwsSettings withStaticKeys(String accessKeyId, String secretAccessKey, String sessionToken) {
        if (sessionToken == null || sessionToken.isBlank()) {
            return withStaticKeys(accessKeyId, secretAccessKey);
        }
        return withCredentials(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(accessKeyId, secretAccessKey,
                        sessionToken)));
    }

    public AwsSettings withMaxAttempts(int maxAttempts) {
        return new AwsSettings(endpoint, profile, credentials, maxAttempts, callTimeout);
    }

    public Optional<URI> endpointOverride() {
        return Optional.ofNullable(endpoint);
    }

    /**
     * What the SDK client factory needs for a client in {@code region}: the credentials resolved (these settings'
     * own, else the profile's, else the SDK's default chain).
     */
    public ClientSettings client(String region) {
        return new ClientSettings(endpoint, region, SdkClients.credentials(credentials, profile), maxAttempts,
                callTimeout);
    }

    /** Where EC2 calls for the region go, for messages. */
    public String ec2Endpoint(String region) {
        return endpoint != null ? endpoint.toString() : "https://ec2." + region + ".amazonaws.com";
    }
}
