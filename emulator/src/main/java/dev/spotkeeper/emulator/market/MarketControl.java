package dev.spotkeeper.emulator.market;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client of the emulator's market control ({@code /_spotkeeper/market/pools} on its endpoint): what a test or an
 * operator uses to change a pool's price or capacity in a running emulator, in this process or another, as the
 * market would change on AWS. It presents the emulator's secret key; the emulator answers only on 127.0.0.1.
 */
public final class MarketControl {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI pools;
    private final String secretKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public MarketControl(URI endpoint, String secretKey) {
        requireNonNull(endpoint, "endpoint is null");
        this.secretKey = requireNonNull(secretKey, "secretKey is null");
        this.pools = endpoint.resolve("/_spotkeeper/market/pools");
    }

    /** Holds the pool's spot price at {@code price} USD per hour; null hands it back to the market's model. */
    public Map<String, Object> holdPrice(String region, String zone, String instanceType, Double price) {
        Map<String, Object> body = pool(region, zone, instanceType);
        body.put("spotPrice", price);
        return post(body);
    }

    /** Holds the pool's capacity (false: launches there are refused); null hands it back to the market's model. */
    public Map<String, Object> holdCapacity(String region, String zone, String instanceType, Boolean capacity) {
        Map<String, Object> body = pool(region, zone, instanceType);
        body.put("capacity", capacity);
        return post(body);
    }

    /** The pools of one region (every region when null), of one type (every type when null). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> pools(String region, String instanceType) {
        StringBuilder query = new StringBuilder();
        if (region != null) {
            query.append("region=").append(URLEncoder.encode(region, StandardCharsets.UTF_8));
        }
        if (instanceType != null) {
            query.append(query.length() == 0 ? "" : "&").append("type=")
                    .append(URLEncoder.encode(instanceType, StandardCharsets.UTF_8));
        }
        URI uri = query.length() == 0 ? pools : URI.create(pools + "?" + query);
        Map<String, Object> answer = send(HttpRequest.newBuilder(uri).GET());
        return (List<Map<String, Object>>) answer.get("pools");
    }

    private static Map<String, Object> pool(String region, String zone, String instanceType) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("region", requireNonNull(region, "region is null"));
        body.put("zone", requireNonNull(zone, "zone is null"));
        body.put("instanceType", requireNonNull(instanceType, "instanceType is null"));
        return body;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> post(Map<String, Object> body) {
        Map<String, Object> answer = send(HttpRequest.newBuilder(pools)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
        return (Map<String, Object>) answer.get("pool");
    }

    private Map<String, Object> send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(TIMEOUT).header("Authorization", "Bearer " + secretKey).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "the emulator's market control at " + pools
                    + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "interrupted while calling " + pools, e);
        }
        Map<String, Object> answer = Json.parseObject(response.body());
        if (response.statusCode() != 200) {
            throw SpotkeeperException.invalidArgument("the emulator's market control refused the request (HTTP "
                    + response.statusCode() + "): " + answer.get("error"));
        }
        return answer;
    }
}
