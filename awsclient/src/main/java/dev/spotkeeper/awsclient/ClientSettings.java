package dev.spotkeeper.awsclient;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * How one SDK client reaches AWS: an optional endpoint override (a local emulator answers instead of AWS, with no
 * change elsewhere), the region, the credentials, the attempts per call and, when set, the longest one call may take
 * (retries included). The HTTP client's own connect and socket timeouts are chosen with the HTTP client
 * ({@link SdkClients#urlConnectionHttp}, {@link SdkClients#apacheHttp}).
 *
 * @param endpoint where every call goes instead of AWS's regional endpoint, or null
 * @param callTimeout the longest one call may take, or null for none (large uploads)
 */
public record ClientSettings(URI endpoint, String region, AwsCredentialsProvider credentials, int maxAttempts,
        Duration callTimeout) {

    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final String DEFAULT_REGION = "us-east-1";

    public ClientSettings {
        requireNonNull(region, "region is null");
        requireNonNull(credentials, "credentials is null");
        if (region.isBlank()) {
            throw new IllegalArgumentException("region is blank");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /**
     * Read from the environment the way the AWS CLI reads it: {@code AWS_ENDPOINT_URL} overrides the endpoint, the
     * region is {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}, else {@value #DEFAULT_REGION}; the SDK's
     * default credential chain; no call timeout.
     */
    public static ClientSettings fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, DefaultCredentialsProvider.builder().build());
    }

    public static ClientSettings fromEnvironment(Map<String, String> env, AwsCredentialsProvider credentials) {
        String endpoint = env.get("AWS_ENDPOINT_URL");
        String region = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
        return new ClientSettings(endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.strip()),
                region == null || region.isBlank() ? DEFAULT_REGION : region.strip(), credentials,
                DEFAULT_MAX_ATTEMPTS, null);
    }

    public Optional<URI> endpointOverride() {
        return Optional.ofNullable(endpoint);
    }

    public Optional<Duration> callTimeoutIfSet() {
        return Optional.ofNullable(callTimeout);
    }

    public ClientSettings withRegion(String region) {
        return new ClientSettings(endpoint, region, credentials, maxAttempts, callTimeout);
    }

    /** Where calls to {@code service} (its endpoint prefix, such as {@code ec2}) go, for messages. */
    public String endpointFor(String service) {
        return endpoint != null ? endpoint.toString() : "https://" + service + "." + region + ".amazonaws.com";
    }
}
