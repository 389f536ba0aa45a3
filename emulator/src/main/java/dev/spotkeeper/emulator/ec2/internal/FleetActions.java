package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.emulator.market.AzNames;
import dev.spotkeeper.emulator.market.PoolView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * CreateFleet of type {@code instant}: every (launch template config × override × zone) is a candidate pool;
 * the allocation strategy orders them as EC2 Fleet documents it, and capacity is filled in that order. Pools
 * that fail (no capacity, price, quota) are reported in {@code errorSet}, as an instant fleet does.
 */
final class FleetActions {
    static final List<String> STRATEGIES = List.of("lowest-price", "capacity-optimized",
            "capacity-optimized-prioritized", "price-capacity-optimized");

    private final Ec2Backend backend;
    private final InstanceActions instances;

    FleetActions(Ec2Backend backend, InstanceActions instances) {
        this.backend = backend;
        this.instances = instances;
    }

    /** One pool the fleet may launch into. */
    private record Candidate(String templateId, String version, QueryParams override, LaunchSpec spec,
                             AzNames.Zone zone, PoolView pool, double weight, double priority) {
        double unitPrice() {
            return (pool == null ? Double.MAX_VALUE : spec.spot() ? pool.spotPrice() : pool.onDemandPrice()) / weight;
        }

        int score() {
            return pool == null ? 0 : pool.placementScore();
        }
    }

    private record Launched(Candidate candidate, List<String> ids) {
    }

    private record Failure(Candidate candidate, String code, String message) {
    }

    String createFleet(Call c) {
        QueryParams p = c.params();
        String type = p.get("Type").orElse("maintain");
        if (!type.equals("instant")) {
            throw Ec2Error.client("Unsupported", "The emulator supports CreateFleet with Type=instant only, not '"
                    + type + "'.");
        }
        List<QueryParams> configs = p.structs("LaunchTemplateConfigs");
        if (configs.isEmpty()) {
            throw Ec2Error.missing("LaunchTemplateConfigs");
        }
        QueryParams target = p.sub("TargetCapacitySpecification");
        int total = target.integer("TotalTargetCapacity", -1);
        if (total < 0) {
            throw Ec2Error.missing("TargetCapacitySpecification.TotalTargetCapacity");
        }
        String defaultType = target.get("DefaultTargetCapacityType").orElseThrow(
                () -> Ec2Error.missing("TargetCapacitySpecification.DefaultTargetCapacityType"));
        if (!defaultType.equals("spot") && !defaultType.equals("on-demand")) {
            throw Ec2Error.invalidValue("DefaultTargetCapacityType", defaultType, List.of("spot", "on-demand"));
        }
        String strategy = p.get("SpotOptions.AllocationStrategy").orElse("lowest-price");
        if (!STRATEGIES.contains(strategy)) {
            throw Ec2Error.invalid("Invalid value '" + strategy + "' for SpotOptions.AllocationStrategy. Valid: "
                    + String.join(", ", STRATEGIES) + "." + hint(strategy));
        }
        int onDemand = target.integer("OnDemandTargetCapacity", defaultType.equals("on-demand") ? total : 0);
        int spot = target.integer("SpotTargetCapacity", total - onDemand);
        Map<String, String> tags = LaunchSpecs.tags(p, "instance");
        List<Launched> launched = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        String reservationId = backend.newId("r");
        fill(candidates(configs, c.region(), true, tags), strategy, spot, reservationId, launched, failures);
        fill(candidates(configs, c.region(), false, tags), "lowest-price", onDemand, reservationId, launched, failures);
        return write(c, launched, failures);
    }

    private static String hint(String strategy) {
        List<String> near = Names.nearest(strategy, STRATEGIES, 2);
        return near.isEmpty() ? "" : " Did you mean: " + String.join(", ", near) + "?";
    }

    private List<Candidate> candidates(List<QueryParams> configs, String region, boolean spot,
                                       Map<String, String> tags) {
        List<Candidate> out = new ArrayList<>();
        for (QueryParams config : configs) {
            QueryParams lts = config.sub("LaunchTemplateSpecification");
            LaunchTemplates.Template t = backend.templates().require(lts.get("LaunchTemplateId").orElse(null),
                    lts.get("LaunchTemplateName").orElse(null));
            String version = lts.get("Version").orElse("$Default");
            QueryParams data = LaunchTemplates.version(t, version);
            List<QueryParams> overrides = config.structs("Overrides");
            if (overrides.isEmpty()) {
                overrides = List.of(new QueryParams(Map.of()));
            }
            for (QueryParams o : overrides) {
                out.addAll(expand(t.id(), version, data, o, region, spot, tags));
            }
        }
        return out;
    }

    private List<Candidate> expand(String templateId, String version, QueryParams data, QueryParams o, String region,
                                   boolean spot, Map<String, String> tags) {
        Map<String, String> m = new LinkedHashMap<>(data.asMap());
        m.keySet().removeIf(k -> k.startsWith("InstanceMarketOptions"));
        o.get("InstanceType").ifPresent(v -> m.put("InstanceType", v));
        o.get("SubnetId").ifPresent(v -> m.put("SubnetId", v));
        o.get("AvailabilityZone").ifPresent(v -> m.put("Placement.AvailabilityZone", v));
        if (spot) {
            m.put("InstanceMarketOptions.MarketType", "spot");
            o.get("MaxPrice").ifPresent(v -> m.put("InstanceMarketOptions.SpotOptions.MaxPrice", v));
        }
        LaunchSpec base = LaunchSpecs.read(new QueryParams(m), region, ShippedMarket.catalog(), templateId);
        Map<String, String> allTags = new LinkedHashMap<>(base.tags());
        allTags.putAll(tags);
        base = base.withTags(allTags);
        double weight = o.decimal("WeightedCapacity").orElse(1.0);
        double priority = o.decimal("Priority").orElse(Double.MAX_VALUE);
        List<Candidate> out = new ArrayList<>();
        for (AzNames.Zone z : backend.market().zones().zones(region)) {
            boolean named = base.zoneName() != null || base.subnetId() != null;
            boolean here = base.zoneName() != null ? z.name().equals(base.zoneName()) || z.id().equals(base.zoneName())
                    : base.subnetId() == null || Subnets.idOf(z).equals(base.subnetId());
            PoolView pool = backend.market().pool(region, z.name(), base.type().name()).orElse(null);
            if (here && (pool != null || named)) {
                out.add(new Candidate(templateId, version, o, base.inZone(z.name()), z, pool, weight, priority));
            }
        }
        return out;
    }

    private void fill(List<Candidate> candidates, String strategy, int units, String reservationId,
                      List<Launched> launched, List<Failure> failures) {
        if (units <= 0) {
            return;
        }
        double remaining = units;
        for (Candidate c : order(candidates, strategy)) {
            if (remaining <= 0) {
                break;
            }
            int count = (int) Math.ceil(remaining / c.weight());
            try {
                List<EmulatedInstance> got = backend.launch(c.spec(), count, reservationId);
                launched.add(new Launched(c, got.stream().map(EmulatedInstance::id).toList()));
                remaining -= count * c.weight();
            } catch (Ec2Error e) {
                failures.add(new Failure(c, e.code(), e.getMessage()));
            }
        }
    }

    private static List<Candidate> order(List<Candidate> candidates, String strategy) {
        List<Candidate> list = new ArrayList<>(candidates);
        Comparator<Candidate> cheapest = Comparator.comparingDouble(Candidate::unitPrice);
        Comparator<Candidate> deepest = Comparator.comparingInt(Candidate::score).reversed();
        switch (strategy) {
            case "capacity-optimized" -> list.sort(deepest.thenComparing(cheapest));
            case "capacity-optimized-prioritized" -> list.sort(Comparator.comparingDouble(Candidate::priority)
                    .thenComparing(deepest).thenComparing(cheapest));
            case "price-capacity-optimized" -> {
                int best = list.stream().filter(c -> c.pool() != null && c.pool().available())
                        .mapToInt(Candidate::score).max().orElse(0);
                list.sort(Comparator.comparing((Candidate c) -> c.score() < best - 1).thenComparing(cheapest));
            }
            default -> list.sort(cheapest);
        }
        return list;
    }

    private static String write(Call c, List<Launched> launched, List<Failure> failures) {
        Xml x = c.response().el("fleetId", "fleet-" + UUID.nameUUIDFromBytes(c.requestId().getBytes(
                StandardCharsets.UTF_8)));
        x.open("errorSet");
        for (Failure f : failures) {
            x.open("item");
            overrides(x, f.candidate());
            x.el("lifecycle", f.candidate().spec().spot() ? "spot" : "on-demand").el("errorCode", f.code())
                    .el("errorMessage", f.message()).close();
        }
        x.close().open("fleetInstanceSet");
        for (Launched l : launched) {
            x.open("item");
            overrides(x, l.candidate());
            x.el("lifecycle", l.candidate().spec().spot() ? "spot" : "on-demand").open("instanceIds");
            l.ids().forEach(id -> x.el("item", id));
            x.close().el("instanceType", l.candidate().spec().type().name()).el("platform", "Linux/UNIX").close();
        }
        return x.finish();
    }

    private static void overrides(Xml x, Candidate c) {
        QueryParams o = c.override();
        x.open("launchTemplateAndOverrides").open("launchTemplateSpecification")
                .el("launchTemplateId", c.templateId()).el("version", c.version()).close()
                .open("overrides").el("instanceType", c.spec().type().name())
                .el("maxPrice", o.get("MaxPrice").orElse(null)).el("subnetId", o.get("SubnetId").orElse(null))
                .el("availabilityZone", c.zone().name())
                .el("weightedCapacity", o.get("WeightedCapacity").orElse(null))
                .el("priority", o.get("Priority").orElse(null)).close().close();
    }
}
