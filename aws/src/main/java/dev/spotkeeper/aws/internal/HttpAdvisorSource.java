package dev.spotkeeper.aws.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.io.SpotAdvisorFeed;
import dev.spotkeeper.core.signals.AdvisorSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Spot Advisor feed over HTTPS with the JDK's HTTP client (it is a public S3 object: no signing needed),
 * or from a {@code file:} URL for machines without internet access.
 */
public final class HttpAdvisorSource implements AdvisorSource {
    private final URI url;
    private final HttpClient http;

    public HttpAdvisorSource(URI url) {
        this.url = requireNonNull(url, "url is null");
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public String location() {
        return url.toString();
    }

    @Override
    public SpotAdvisorFeed fetch() {
        if ("file".equalsIgnoreCase(url.getScheme())) {
            return fromFile(Path.of(url));
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60)).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "cannot download the Spot Advisor feed from " + url
                    + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); check the network, or pass --advisor-url with a copy of the file", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "interrupted while downloading " + url, e);
        }
        if (response.statusCode() != 200) {
            throw SpotkeeperException.of(response.statusCode() >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.CLOUD_ERROR,
                    "the Spot Advisor feed at " + url + " answered HTTP " + response.statusCode()
                            + "; check --advisor-url");
        }
        return SpotAdvisorFeed.parse(url.toString(), response.body());
    }

    private SpotAdvisorFeed fromFile(Path path) {
        try {
            return SpotAdvisorFeed.parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw SpotkeeperException.invalidArgument("cannot read the Spot Advisor feed " + path + ": " + e.getMessage());
        }
    }
}
