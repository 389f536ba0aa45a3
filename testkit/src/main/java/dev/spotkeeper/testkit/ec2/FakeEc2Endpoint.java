package dev.spotkeeper.testkit.ec2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small EC2 endpoint on 127.0.0.1 that speaks the EC2 query protocol (form-encoded POST with
 * {@code Action=…}) for the market-signal actions: {@code DescribeSpotPriceHistory},
 * {@code GetSpotPlacementScores} and {@code DescribeAvailabilityZones}. It answers in EC2's XML, records every
 * request it received with its parameters and region (from the SigV4 credential scope), and can be switched
 * per action into AWS's failure answers. Point the real SDK client at {@link #uri()}.
 */
public final class FakeEc2Endpoint implements AutoCloseable {
    public static final String PRICES = "DescribeSpotPriceHistory";
    public static final String SCORES = "GetSpotPlacementScores";
    public static final String ZONES = "DescribeAvailabilityZones";

    /** How an action answers. */
    public enum Mode {
        /** The data set up on this endpoint. */
        OK,
        /** 503 {@code RequestLimitExceeded}, as EC2 throttles. */
        THROTTLED,
        /** 403 {@code UnauthorizedOperation}: IAM does not allow the action. */
        UNAUTHORIZED,
        /** 401 {@code AuthFailure}: the credentials are not valid. */
        AUTH_FAILURE,
        /** 500 {@code InternalError}. */
        BROKEN
    }

    /** One request as received: its action, the region it was signed for and its form parameters. */
    public record Received(String action, String region, Map<String, String> params) {
        /** The values of a list parameter ({@code InstanceType.1}, {@code InstanceType.2}, …) in order. */
        public List<String> list(String name) {
            List<String> out = new ArrayList<>();
            for (int i = 1; params.containsKey(name + "." + i); i++) {
                out.add(params.get(name + "." + i));
            }
            return out;
        }
    }

    private record Price(String region, String azName, String type, String price, Instant time) {
    }

    private record ZoneInfo(String region, String name, String id) {
    }

    private static final Pattern SCOPE = Pattern.compile("Credential=([^/]+)/\\d{8}/([^/]+)/ec2/aws4_request");

    private final HttpServer server;
    private final List<Price> prices = new CopyOnWriteArrayList<>();
    private final List<ZoneInfo> zones = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> scores = new ConcurrentHashMap<>();
    private final Map<String, Mode> modes = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> accessKeys = ConcurrentHashMap.newKeySet();
    private volatile int pageSize = 1000;

    private FakeEc2Endpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeEc2Endpoint start() {
        try {
            return new FakeEc2Endpoint();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public FakeEc2Endpoint zone(String region, String name, String id) {
        zones.add(new ZoneInfo(region, name, id));
        return this;
    }

    public FakeEc2Endpoint price(String region, String azName, String type, String price, Instant time) {
        prices.add(new Price(region, azName, type, price, time));
        return this;
    }

    /** The single-AZ score every request gets for this AZ id; AZs without one are left out of answers. */
    public FakeEc2Endpoint score(String azId, int score) {
        scores.put(azId, score);
        return this;
    }

    public void mode(String action, Mode mode) {
        modes.put(action, mode);
    }

    /** Items per page for the paginated actions (EC2 honours the smaller of this and MaxResults). */
    public void pageSize(int items) {
        this.pageSize = items;
    }

    public List<Received> received(String action) {
        return received.stream().filter(r -> r.action().equals(action)).toList();
    }

    /** Whether any request was signed with this access key id (read from the SigV4 credential scope). */
    public boolean signedWith(String accessKeyId) {
        return accessKeys.contains(accessKeyId);
    }

    public int calls(String action) {
        return received(action).size();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> params = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            Matcher m = SCOPE.matcher(auth == null ? "" : auth);
            String region = "";
            if (m.find()) {
                accessKeys.add(m.group(1));
                region = m.group(2);
            }
            String action = params.getOrDefault("Action", "");
            received.add(new Received(action, region, Map.copyOf(params)));
            String requestId = UUID.randomUUID().toString();
            Mode mode = modes.getOrDefault(action, Mode.OK);
            switch (mode) {
                case THROTTLED -> send(exchange, 503, Ec2Xml.error("RequestLimitExceeded", "Request limit exceeded.", requestId));
                case UNAUTHORIZED -> send(exchange, 403, Ec2Xml.error("UnauthorizedOperation",
                        "You are not authorized to perform this operation.", requestId));
                case AUTH_FAILURE -> send(exchange, 401, Ec2Xml.error("AuthFailure",
                        "AWS was not able to validate the provided access credentials", requestId));
                case BROKEN -> send(exchange, 500, Ec2Xml.error("InternalError",
                        "An internal error has occurred", requestId));
                case OK -> answer(exchange, action, region, params, requestId);
            }
        }
    }

    private void answer(HttpExchange exchange, String action, String region, Map<String, String> params,
            String requestId) throws IOException {
        Received r = new Received(action, region, params);
        switch (action) {
            case PRICES -> send(exchange, 200, page(action, requestId, "spotPriceHistorySet", priceItems(r, region), params));
            case SCORES -> send(exchange, 200, page(action, requestId, "spotPlacementScoreSet", scoreItems(r), params));
            case ZONES -> send(exchange, 200, Ec2Xml.response(action, requestId, "availabilityZoneInfo", zoneItems(region), null));
            default -> send(exchange, 400, Ec2Xml.error("InvalidAction",
                    "The action " + action + " is not valid for this web service.", requestId));
        }
    }

    private List<Map<String, String>> priceItems(Received r, String region) {
        List<String> types = r.list("InstanceType");
        List<String> products = r.list("ProductDescription");
        List<Map<String, String>> items = new ArrayList<>();
        for (Price p : prices) {
            if (p.region().equals(region) && (types.isEmpty() || types.contains(p.type()))
                    && (products.isEmpty() || products.contains("Linux/UNIX"))) {
                Map<String, String> item = new LinkedHashMap<>();
                item.put("instanceType", p.type());
                item.put("productDescription", "Linux/UNIX");
                item.put("spotPrice", p.price());
                item.put("timestamp", p.time().toString());
                item.put("availabilityZone", p.azName());
                items.add(item);
            }
        }
        return items;
    }

    private List<Map<String, String>> scoreItems(Received r) {
        boolean singleAz = "true".equals(r.params().get("SingleAvailabilityZone"));
        List<Map<String, String>> items = new ArrayList<>();
        for (String region : r.list("RegionName")) {
            int best = 0;
            for (ZoneInfo z : zones) {
                Integer s = scores.get(z.id());
                if (!z.region().equals(region) || s == null) {
                    continue;
                }
                best = Math.max(best, s);
                if (singleAz) {
                    Map<String, String> item = new LinkedHashMap<>();
                    item.put("region", region);
                    item.put("availabilityZoneId", z.id());
                    item.put("score", String.valueOf(s));
                    items.add(item);
                }
            }
            if (!singleAz && best > 0) {
                items.add(Map.of("region", region, "score", String.valueOf(best)));
            }
        }
        return items;
    }

    private List<Map<String, String>> zoneItems(String region) {
        List<Map<String, String>> items = new ArrayList<>();
        for (ZoneInfo z : zones) {
            if (z.region().equals(region)) {
                Map<String, String> item = new LinkedHashMap<>();
                item.put("zoneName", z.name());
                item.put("zoneState", "available");
                item.put("regionName", z.region());
                item.put("zoneId", z.id());
                item.put("zoneType", "availability-zone");
                items.add(item);
            }
        }
        return items;
    }

    private String page(String action, String requestId, String setName, List<Map<String, String>> items,
            Map<String, String> params) {
        int from = params.containsKey("NextToken") ? Integer.parseInt(params.get("NextToken")) : 0;
        int size = pageSize;
        if (params.containsKey("MaxResults")) {
            size = Math.min(size, Integer.parseInt(params.get("MaxResults")));
        }
        int to = Math.min(items.size(), from + size);
        // EC2 ends a DescribeSpotPriceHistory listing with an empty <nextToken/>; clients must stop on it.
        String next = to < items.size() ? String.valueOf(to) : PRICES.equals(action) ? "" : null;
        return Ec2Xml.response(action, requestId, setName, items.subList(Math.min(from, to), to), next);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static void send(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }
}
