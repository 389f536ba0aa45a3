package dev.spotkeeper.emulator.ec2;

import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.spi.CloudEventSink;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import dev.spotkeeper.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** An emulator on a free port with a hand-moved clock, an SDK client for it and the events it published. */
final class EmulatorFixture implements AutoCloseable {
    /** One published event. */
    record Event(String detailType, Instant time, Map<String, Object> detail) {
    }

    final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    final List<Event> events = new CopyOnWriteArrayList<>();
    final LocalEmulator emulator;
    final Ec2Client ec2;

    EmulatorFixture(Path workDir, int vcpuQuota) throws Exception {
        EmulatorComponent recorder = new EmulatorComponent() {
            @Override
            public void start(EmulatorContext context) {
                context.provide(CloudEventSink.class, (source, detailType, region, time, resources, detail) ->
                        events.add(new Event(detailType, time, detail)));
            }

            @Override
            public void close() {
            }
        };
        emulator = LocalEmulator.builder().port(0).clock(clock).seed(7).bootDelay(Duration.ZERO)
                .vcpuQuota(vcpuQuota).workDirectory(workDir).component(recorder).start();
        ec2 = Ec2Client.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private final HttpClient http = HttpClient.newHttpClient();

    URI imds(String instanceId) {
        return emulator.ec2().imdsEndpoint(instanceId).orElseThrow();
    }

    /** PUT /latest/api/token with the TTL header (none when ttl is null). */
    HttpResponse<String> imdsToken(String instanceId, String ttl) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(imds(instanceId).resolve("/latest/api/token"))
                .PUT(HttpRequest.BodyPublishers.noBody());
        if (ttl != null) {
            b.header("X-aws-ec2-metadata-token-ttl-seconds", ttl);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET with the token header (none when token is null). */
    HttpResponse<String> imdsGet(String instanceId, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(imds(instanceId).resolve(path));
        if (token != null) {
            b.header("X-aws-ec2-metadata-token", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    List<String> eventTypes(String instanceId) {
        return events.stream().filter(e -> instanceId.equals(e.detail().get("instance-id")))
                .map(e -> e.detailType() + (e.detail().containsKey("state") ? ":" + e.detail().get("state") : ""))
                .toList();
    }

    @Override
    public void close() {
        ec2.close();
        emulator.close();
    }
}
