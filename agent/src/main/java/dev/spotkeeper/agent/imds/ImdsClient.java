package dev.spotkeeper.agent.imds;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The instance metadata service, IMDSv2 only (launch templates require tokens). Built on the JDK's HTTP client:
 * the SDK's {@code imds} artifact does not resolve at every version, and the agent needs exact control over token
 * refresh. The token is renewed a minute before it expires, and once more on a 401 (the service restarted or the
 * token was revoked), after which the request is retried once.
 */
public final class ImdsClient {
    public static final String DEFAULT_ENDPOINT = "http://169.254.169.254";
    static final String TOKEN_TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
    static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";

    /** Generous for a link-local service, so a busy instance does not miss a notice over a slow answer. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI endpoint;
    private final Clock clock;
    private final Duration tokenTtl;
    private final HttpClient http;
    private String token;
    private Instant refreshAt = Instant.MIN;

    public ImdsClient(URI endpoint, Clock clock, Duration tokenTtl) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.tokenTtl = requireNonNull(tokenTtl, "tokenTtl is null");
        if (tokenTtl.getSeconds() < 1 || tokenTtl.getSeconds() > 21600) {
            throw new IllegalArgumentException("IMDS token TTL must be 1..21600 s, was " + tokenTtl);
        }
        // IMDS speaks plain HTTP/1.1; the JDK's default (an h2c upgrade attempt) only adds a round of negotiation.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /** {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} as the AWS SDKs read it, else the link-local address. */
    public static ImdsClient fromEnvironment(Map<String, String> env, Clock clock) {
        String endpoint = env.getOrDefault("AWS_EC2_METADATA_SERVICE_ENDPOINT", DEFAULT_ENDPOINT);
        return new ImdsClient(URI.create(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint),
                clock, Duration.ofHours(6));
    }

    /** {@code GET /latest/meta-data/<path>}: the body on 200, empty on 404. */
    public Optional<String> metadata(String path) {
        return read("/latest/meta-data/", path);
    }

    /** {@code GET /latest/dynamic/<path>} (the instance identity document): the body on 200, empty on 404. */
    public Optional<String> dynamic(String path) {
        return read("/latest/dynamic/", path);
    }

    private Optional<String> read(String root, String path) {
        HttpResponse<String> response = get(root + path, currentToken());
        if (response.statusCode() == 401) {
            forgetToken();
            response = get(root + path, currentToken());
        }
        return switch (response.statusCode()) {
            case 200 -> Optional.of(response.body());
            case 404 -> Optional.empty();
            default -> throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "instance metadata " + path + " answered HTTP "
                    + response.statusCode() + ": " + response.body());
        };
    }

    /** The metadata value, or an error naming what is missing (for values every instance has). */
    public String required(String path) {
        return metadata(path).orElseThrow(() -> SpotkeeperException.of(ErrorCode.UNAVAILABLE,
                "instance metadata has no " + path + " (is this an EC2 instance, or AWS_EC2_METADATA_SERVICE_ENDPOINT set?)"));
    }

    private synchronized String currentToken() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(refreshAt)) {
            HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/latest/api/token"))
                    .timeout(TIMEOUT)
                    .header(TOKEN_TTL_HEADER, Long.toString(tokenTtl.getSeconds()))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> response = send(request);
            if (response.statusCode() != 200) {
                throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "instance metadata refused a token: HTTP "
                        + response.statusCode() + " " + response.body());
            }
            token = response.body().trim();
            Duration margin = tokenTtl.compareTo(Duration.ofMinutes(2)) > 0 ? Duration.ofMinutes(1) : tokenTtl.dividedBy(2);
            refreshAt = now.plus(tokenTtl).minus(margin);
        }
        return token;
    }

    private synchronized void forgetToken() {
        token = null;
    }

    private HttpResponse<String> get(String path, String withToken) {
        return send(HttpRequest.newBuilder(endpoint.resolve(path)).timeout(TIMEOUT)
                .header(TOKEN_HEADER, withToken).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "cannot reach instance metadata at " + endpoint + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "interrupted while asking instance metadata", e);
        }
    }
}
