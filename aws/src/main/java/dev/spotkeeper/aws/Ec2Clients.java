package dev.spotkeeper.aws;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;

/**
 * One {@link Ec2Client} per region, built once from {@link AwsSettings}. The JDK's URL connection is the HTTP
 * client: it starts fast and adds no dependency, which suits a CLI that makes a handful of calls.
 */
public final class Ec2Clients implements AutoCloseable {
    private final AwsSettings settings;
    private final Map<String, Ec2Client> byRegion = new ConcurrentHashMap<>();
    /** Shared by the regional clients: building one loads the trust store, which is slow on a busy machine. */
    private final SdkHttpClient http;

    public Ec2Clients(AwsSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
    }

    public AwsSettings settings() {
        return settings;
    }

    public Ec2Client forRegion(String region) {
        return byRegion.computeIfAbsent(region, this::build);
    }

    private Ec2Client build(String region) {
        Ec2ClientBuilder builder = Ec2Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentialsFor(settings))
                .httpClient(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(settings.maxAttempts()).build())
                        .apiCallTimeout(settings.callTimeout())
                        .build());
        settings.endpointOverride().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** The settings' credentials, else the profile's, else the SDK's default chain. */
    static AwsCredentialsProvider credentialsFor(AwsSettings settings) {
        if (settings.credentials() != null) {
            return settings.credentials();
        }
        if (settings.profile() != null) {
            return ProfileCredentialsProvider.builder().profileName(settings.profile()).build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public void close() {
        byRegion.values().forEach(Ec2Client::close);
        byRegion.clear();
        // A client given to the builder is not closed by the SDK clients; it is ours to close.
        http.close();
    }
}
