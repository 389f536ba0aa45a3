package dev.spotkeeper.aws;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.awsclient.SdkClients;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * One {@link Ec2Client} per region, built once from {@link AwsSettings} by the SDK client factory
 * ({@link SdkClients}). The JDK's URL connection is the HTTP client: it starts fast and adds no dependency, which
 * suits a CLI that makes a handful of calls.
 */
public final class Ec2Clients implements AutoCloseable {
    private final AwsSettings settings;
    private final Map<String, Ec2Client> byRegion = new ConcurrentHashMap<>();
    /** Shared by the regional clients: building one loads the trust store, which is slow on a busy machine. */
    private final SdkHttpClient http;

    public Ec2Clients(AwsSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
        this.http = SdkClients.urlConnectionHttp(Duration.ofSeconds(30));
    }

    public AwsSettings settings() {
        return settings;
    }

    public Ec2Client forRegion(String region) {
        return byRegion.computeIfAbsent(region, this::build);
    }

    private Ec2Client build(String region) {
        return SdkClients.configure(Ec2Client.builder(), settings.client(region)).httpClient(http).build();
    }

    @Override
    public void close() {
        byRegion.values().forEach(Ec2Client::close);
        byRegion.clear();
        // A client given to the builder is not closed by the SDK clients; it is ours to close.
        http.close();
    }
}
