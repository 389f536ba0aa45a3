package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.emulator.market.PoolView;
import dev.spotkeeper.emulator.market.SpotMarket;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RequestSpotInstances, DescribeSpotInstanceRequests, CancelSpotInstanceRequests, DescribeSpotPriceHistory,
 * GetSpotPlacementScores.
 */
final class SpotActions {
    private final Ec2Backend backend;
    /** RequestSpotInstances by region and ClientToken: a retry answers with the requests it first made. */
    private final Map<String, List<String>> byClientToken = new HashMap<>();

    SpotActions(Ec2Backend backend) {
        this.backend = backend;
    }

    /**
     * The legacy spot flow: {@code InstanceCount} one-time requests for {@code LaunchSpecification}, answered
     * {@code open / pending-evaluation}; {@link SpotRequestFlow} fulfils them. Persistent requests are refused
     * (the emulator relaunches nothing by itself), as are the request types EC2 retired.
     */
    String requestSpotInstances(Call c) {
        QueryParams p = c.params();
        String type = p.get("Type").orElse("one-time");
        if (!type.equals("one-time")) {
            throw type.equals("persistent") ? Ec2Error.client("Unsupported", "The emulator runs one-time spot"
                    + " requests only, not persistent ones: it relaunches nothing by itself; use Type=one-time.")
                    : Ec2Error.invalidValue("Type", type, List.of("one-time", "persistent"));
        }
        if (p.get("BlockDurationMinutes").isPresent()) {
            throw Ec2Error.client("Unsupported", "Spot blocks (BlockDurationMinutes) are no longer offered by EC2.");
        }
        int count = p.integer("InstanceCount", 1);
        if (count < 1 || count > 20) {
            throw Ec2Error.invalid("InstanceCount must be 1 to 20, was " + count + ".");
        }
        Map<String, String> launch = new LinkedHashMap<>(p.sub("LaunchSpecification").asMap());
        launch.put("InstanceMarketOptions.MarketType", "spot");
        p.get("SpotPrice").ifPresent(price -> launch.put("InstanceMarketOptions.SpotOptions.MaxPrice", price));
        LaunchSpec spec;
        try {
            spec = LaunchSpecs.read(new QueryParams(launch), c.region(), ShippedMarket.catalog(), null);
        } catch (Ec2Error e) {
            throw e.code().equals("MissingParameter") ? Ec2Error.missing("LaunchSpecification.ImageId") : e;
        }
        double maxPrice = Double.isNaN(spec.maxPrice()) ? backend.onDemandPrice(c.region(), spec.type().name())
                : spec.maxPrice();
        Instant validUntil = time(p, "ValidUntil");
        Map<String, String> tags = LaunchSpecs.tags(p, "spot-instances-request");
        String token = p.get("ClientToken").map(t -> c.region() + "/" + t).orElse(null);
        List<SpotRequest> made = new ArrayList<>();
        synchronized (byClientToken) {
            if (token != null && byClientToken.containsKey(token)) {
                byClientToken.get(token).forEach(id -> backend.spotRequest(id).ifPresent(made::add));
            } else {
                made.addAll(backend.requestSpot(spec, count, maxPrice, validUntil, tags));
                if (token != null) {
                    byClientToken.put(token, made.stream().map(r -> r.id).toList());
                }
            }
        }
        Xml x = c.response().open("spotInstanceRequestSet");
        for (SpotRequest r : made) {
            synchronized (r) {
                write(x, r);
            }
        }
        return x.finish();
    }

    String describeSpotInstanceRequests(Call c) {
        List<String> ids = c.params().list("SpotInstanceRequestId");
        for (String id : ids) {
            if (backend.spotRequest(id).isEmpty()) {
                throw Ec2Error.client("InvalidSpotInstanceRequestID.NotFound",
                        "The spot instance request ID '" + id + "' does not exist");
            }
        }
        Map<String, List<String>> f = c.params().filters();
        Xml x = c.response().open("spotInstanceRequestSet");
        for (SpotRequest r : backend.spotRequests()) {
            synchronized (r) {
                if ((ids.isEmpty() || ids.contains(r.id)) && Filters.matches(f, "state", r.state)
                        && Filters.matches(f, "instance-id", r.instanceId())
                        && Filters.matches(f, "status-code", r.statusCode)
                        && Filters.matches(f, "spot-instance-request-id", r.id)
                        && Filters.matches(f, "launch.instance-type", r.spec.type().name())
                        && tagsMatch(f, r.tags)) {
                    write(x, r);
                }
            }
        }
        return x.finish();
    }

    private static boolean tagsMatch(Map<String, List<String>> f, Map<String, String> tags) {
        for (String name : f.keySet()) {
            if (name.startsWith("tag:") && !Filters.matches(f, name, tags.get(name.substring(4)))) {
                return false;
            }
        }
        return true;
    }

    private static void write(Xml x, SpotRequest r) {
        x.open("item").el("spotInstanceRequestId", r.id).el("spotPrice", LaunchRules.price(r.maxPrice))
                .el("type", "one-time").el("state", r.state)
                .open("status").el("code", r.statusCode).el("updateTime", r.statusTime).el("message", r.statusMessage)
                .close()
                .open("launchSpecification").el("imageId", r.spec.imageId()).el("instanceType", r.spec.type().name())
                .open("placement").el("availabilityZone", r.zone()).close().close()
                .el("instanceId", r.instanceId()).el("createTime", r.createTime).el("validUntil", r.validUntil)
                .el("productDescription", "Linux/UNIX").el("launchedAvailabilityZone", r.instanceId() == null ? null
                        : r.zone())
                .el("launchedAvailabilityZoneId", r.zoneId()).el("instanceInterruptionBehavior", "terminate");
        InstanceXml.tags(x, r.tags);
        x.close();
    }

    String cancelSpotInstanceRequests(Call c) {
        List<String> ids = c.params().list("SpotInstanceRequestId");
        if (ids.isEmpty()) {
            throw Ec2Error.missing("SpotInstanceRequestId");
        }
        List<SpotRequest> requests = new ArrayList<>();
        for (String id : ids) {
            requests.add(backend.spotRequest(id).orElseThrow(() -> Ec2Error.client(
                    "InvalidSpotInstanceRequestID.NotFound", "The spot instance request ID '" + id + "' does not exist")));
        }
        Xml x = c.response().open("spotInstanceRequestSet");
        for (SpotRequest r : requests) {
            String instance = r.instanceId();
            boolean running = instance != null && backend.find(instance).map(i -> i.state().isLive()).orElse(false);
            synchronized (r) {
                if (r.state.equals("active") || r.state.equals("open")) {
                    r.status("cancelled", running ? "request-canceled-and-instance-running" : "canceled-before-fulfillment",
                            running ? "Spot Instance request is canceled; the instance keeps running."
                                    : "Spot Instance request is canceled.", backend.timers().now());
                }
                x.open("item").el("spotInstanceRequestId", r.id).el("state", r.state).close();
            }
        }
        return x.finish();
    }

    String describeSpotPriceHistory(Call c) {
        QueryParams p = c.params();
        List<String> types = p.list("InstanceType");
        for (String t : types) {
            LaunchSpecs.type(t, ShippedMarket.catalog());
        }
        String zone = p.get("AvailabilityZone").orElse(null);
        Instant start = time(p, "StartTime");
        Instant end = time(p, "EndTime");
        Map<String, List<String>> f = p.filters();
        SpotMarket market = backend.market();
        List<Object[]> rows = new ArrayList<>();
        for (PoolView pool : market.pools(c.region())) {
            boolean wanted = (types.isEmpty() || types.contains(pool.type().name()))
                    && (zone == null || zone.equals(pool.azName()))
                    && Filters.matches(f, "availability-zone", pool.azName())
                    && Filters.matches(f, "instance-type", pool.type().name());
            if (wanted) {
                rows.addAll(history(market.priceHistory(pool.region(), pool.azName(), pool.type().name()), pool,
                        start, end));
            }
        }
        rows.sort(Comparator.comparing((Object[] r) -> (Instant) r[1]).reversed()
                .thenComparing(r -> ((PoolView) r[0]).key()));
        Page<Object[]> page = Page.of(rows, p, 1000);
        Xml x = c.response().open("spotPriceHistorySet");
        for (Object[] r : page.items()) {
            PoolView pool = (PoolView) r[0];
            x.open("item").el("instanceType", pool.type().name()).el("productDescription", "Linux/UNIX")
                    .el("spotPrice", LaunchRules.price((Double) r[2])).el("timestamp", r[1])
                    .el("availabilityZone", pool.azName()).el("availabilityZoneId", pool.azId()).close();
        }
        x.close().el("nextToken", page.nextToken());
        return x.finish();
    }

    /** The price points in [start, end], plus the one in force at start; only the current one without a start. */
    private static List<Object[]> history(List<SpotMarket.PricePoint> points, PoolView pool, Instant start,
                                          Instant end) {
        List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            SpotMarket.PricePoint pt = points.get(i);
            Instant next = i + 1 < points.size() ? points.get(i + 1).time() : null;
            boolean inForceAtStart = start != null && !pt.time().isAfter(start) && (next == null || next.isAfter(start));
            boolean inside = start != null && pt.time().isAfter(start) && (end == null || !pt.time().isAfter(end));
            boolean current = start == null && next == null;
            if (inForceAtStart || inside || current) {
                out.add(new Object[] {pool, pt.time(), pt.price()});
            }
        }
        return out;
    }

    private static Instant time(QueryParams p, String name) {
        try {
            return p.get(name).map(Instant::parse).orElse(null);
        } catch (DateTimeParseException e) {
            throw Ec2Error.invalid("Invalid value '" + p.get(name).orElse("") + "' for " + name
                    + ": expected an ISO-8601 time such as 2026-01-31T12:00:00Z.");
        }
    }

    String getSpotPlacementScores(Call c) {
        QueryParams p = c.params();
        List<String> types = p.list("InstanceType");
        if (types.isEmpty()) {
            throw p.sub("InstanceRequirementsWithMetadata").isEmpty() ? Ec2Error.missing("InstanceTypes")
                    : Ec2Error.client("Unsupported", "The emulator scores InstanceTypes only, not "
                    + "InstanceRequirementsWithMetadata; list the types instead.");
        }
        for (String t : types) {
            LaunchSpecs.type(t, ShippedMarket.catalog());
        }
        int capacity = p.integer("TargetCapacity", -1);
        if (capacity < 1) {
            throw capacity == -1 ? Ec2Error.missing("TargetCapacity")
                    : Ec2Error.invalid("TargetCapacity must be at least 1, was " + capacity + ".");
        }
        String unit = p.get("TargetCapacityUnitType").orElse("units");
        if (!List.of("units", "vcpu", "memory-mib").contains(unit)) {
            throw Ec2Error.invalidValue("TargetCapacityUnitType", unit, List.of("units", "vcpu", "memory-mib"));
        }
        boolean singleAz = p.bool("SingleAvailabilityZone");
        List<String> regions = p.list("RegionName");
        SpotMarket market = backend.market();
        List<PlacementScores.Score> scores = PlacementScores.score(market,
                regions.isEmpty() ? market.zones().regions() : regions, types, singleAz);
        Page<PlacementScores.Score> page = Page.of(scores, p, 10);
        Xml x = c.response().open("spotPlacementScoreSet");
        for (PlacementScores.Score s : page.items()) {
            x.open("item").el("region", s.region()).el("availabilityZoneId", s.zone() == null ? null : s.zone().id())
                    .el("score", s.score()).close();
        }
        x.close().el("nextToken", page.nextToken());
        return x.finish();
    }
}
