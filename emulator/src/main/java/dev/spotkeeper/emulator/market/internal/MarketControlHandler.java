package dev.spotkeeper.emulator.market.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.json.JsonException;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.emulator.json.JsonWire;
import dev.spotkeeper.emulator.market.PoolView;
import dev.spotkeeper.emulator.market.SpotMarket;
import dev.spotkeeper.emulator.spi.ServiceHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulator's own paths under {@code /_spotkeeper/} on the edge endpoint (no S3 bucket name may start with an
 * underscore, so none is hidden): the market as a Spot Advisor feed, public as AWS's is, and the market control an
 * operator or a test changes the market with, only for a caller holding the emulator's secret key.
 *
 * <pre>
 * GET  /_spotkeeper/spot-advisor-data.json            the feed
 * GET  /_spotkeeper/market/pools[?region=R&amp;type=T]     every pool: price, capacity, on-demand, score, band
 * POST /_spotkeeper/market/pools                       {"region", "zone", "instanceType", "spotPrice", "capacity"}
 * </pre>
 * A POST holds the pool's {@code spotPrice} (a number) and {@code capacity} (true or false) as given, hands either
 * back to the market's model with {@code null}, and leaves a member it does not name as it was.
 */
public final class MarketControlHandler implements ServiceHandler {
    public static final String SERVICE = "spotkeeper";
    public static final String PREFIX = "/_spotkeeper/";
    private static final int MAX_BODY = 64 * 1024;

    private final SpotMarket market;
    private final byte[] key;

    /** @param secretKey the emulator's secret access key, which a control request presents as a bearer token */
    public MarketControlHandler(SpotMarket market, String secretKey) {
        this.market = market;
        this.key = secretKey.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String service() {
        return SERVICE;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (Refused e) {
            reply(ex, e.status, Map.of("error", e.getMessage()));
        } catch (RuntimeException e) {
            reply(ex, 500, Map.of("error", "the emulator failed on this request: " + e));
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        if (path.equals(PREFIX + "spot-advisor-data.json") && method.equals("GET")) {
            reply(ex, 200, AdvisorFeedWriter.feed(market.pools(null), ShippedMarket.spotAdvisor()));
            return;
        }
        if (!path.equals(PREFIX + "market/pools")) {
            throw new Refused(404, "no emulator path " + method + " " + path + "; there are GET " + PREFIX
                    + "spot-advisor-data.json and GET or POST " + PREFIX + "market/pools");
        }
        authorize(ex);
        switch (method) {
            case "GET" -> reply(ex, 200, Map.of("pools", pools(JsonWire.query(ex.getRequestURI().getRawQuery()))));
            case "POST" -> reply(ex, 200, Map.of("pool", view(change(body(ex)))));
            default -> throw new Refused(405, method + " is not allowed on " + path + "; use GET or POST");
        }
    }

    private void authorize(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        byte[] given = auth != null && auth.startsWith("Bearer ")
                ? auth.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        // Constant time: the comparison must not tell how much of a guessed key was right.
        if (!MessageDigest.isEqual(given, key)) {
            throw new Refused(401, "not authorized: the market control takes the emulator's secret access key as"
                    + " 'Authorization: Bearer KEY' (the key `spotkeeper emulator start` prints)");
        }
    }

    private List<Object> pools(Map<String, String> query) {
        List<Object> out = new ArrayList<>();
        for (PoolView p : market.pools(query.get("region"))) {
            if (!query.containsKey("type") || query.get("type").equals(p.type().name())) {
                out.add(view(p));
            }
        }
        return out;
    }

    private PoolView change(Map<String, Object> body) {
        String region = text(body, "region");
        String zone = text(body, "zone");
        String type = text(body, "instanceType");
        if (market.pool(region, zone, type).isEmpty()) {
            throw new Refused(404, "the emulator's market has no pool " + SpotMarket.key(region, zone, type)
                    + "; GET " + PREFIX + "market/pools lists them");
        }
        if (body.containsKey("spotPrice")) {
            Object price = body.get("spotPrice");
            if (price != null && !(price instanceof Number n && n.doubleValue() > 0)) {
                throw new Refused(400, "spotPrice must be a positive number of USD per hour, or null to hand the"
                        + " price back to the market, was " + Json.write(price));
            }
            market.forcePrice(region, zone, type, price == null ? null : ((Number) price).doubleValue());
        }
        if (body.containsKey("capacity")) {
            Object capacity = body.get("capacity");
            if (capacity != null && !(capacity instanceof Boolean)) {
                throw new Refused(400, "capacity must be true, false or null, was " + Json.write(capacity));
            }
            market.forceCapacity(region, zone, type, (Boolean) capacity);
        }
        return market.pool(region, zone, type).orElseThrow();
    }

    private static Map<String, Object> view(PoolView p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("region", p.region());
        m.put("zone", p.azName());
        m.put("zoneId", p.azId());
        m.put("instanceType", p.type().name());
        m.put("spotPrice", p.spotPrice());
        m.put("onDemandPrice", p.onDemandPrice());
        m.put("capacity", p.available());
        m.put("placementScore", p.placementScore());
        m.put("band", p.band() == null ? null : p.band().label());
        return m;
    }

    private static String text(Map<String, Object> body, String member) {
        if (!(body.get(member) instanceof String s) || s.isBlank()) {
            throw new Refused(400, "the request needs \"" + member + "\" (region, zone, instanceType name the pool)");
        }
        return s;
    }

    private static Map<String, Object> body(HttpExchange ex) throws IOException {
        byte[] raw;
        try (InputStream in = ex.getRequestBody()) {
            raw = in.readNBytes(MAX_BODY + 1);
        }
        if (raw.length > MAX_BODY) {
            throw new Refused(413, "the request body is larger than 64 KiB");
        }
        try {
            return Json.parseObject(new String(raw, StandardCharsets.UTF_8));
        } catch (JsonException e) {
            throw new Refused(400, "the request body is not a JSON object: " + e.getMessage());
        }
    }

    /** A request refused with its HTTP status and a message that says what to send instead. */
    private static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private static void reply(HttpExchange ex, int status, Map<String, Object> body) throws IOException {
        JsonWire.reply(ex, status, body, JsonWire.REST_JSON);
    }
}
