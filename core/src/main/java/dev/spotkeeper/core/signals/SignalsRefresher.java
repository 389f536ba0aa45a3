package dev.spotkeeper.core.signals;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.InstanceCatalog;
import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.InterruptionBand;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.Pool;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.market.io.SpotAdvisorFeed;
import dev.spotkeeper.core.market.io.SnapshotStore;
import dev.spotkeeper.core.signals.SourceFailure.Signal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Combines the live sources into one {@link MarketSnapshot}. Per pool (region × AZ × type): the spot price
 * from the price history; the band and an on-demand estimate from the Spot Advisor; the Spot Placement Score
 * of the request that covered the pool's type. A signal that cannot be fetched stays unknown and is reported
 * as a {@link SourceFailure}; nothing is made up. The CLI's {@code signals refresh} and the controller's
 * schedule both call this.
 */
public final class SignalsRefresher {
    private final SpotPriceSource prices;
    private final ZoneSource zones;
    private final PlacementScoreSource scores;
    private final AdvisorSource advisor;
    private final InstanceCatalog fallbackCatalog;
    private final Clock clock;
    private final String sourceName;

    /**
     * @param fallbackCatalog instance facts for types the live advisor feed does not list (or when it fails)
     * @param sourceName names the snapshot's origin, such as the EC2 endpoint
     */
    public SignalsRefresher(SpotPriceSource prices, ZoneSource zones, PlacementScoreSource scores,
            AdvisorSource advisor, InstanceCatalog fallbackCatalog, Clock clock, String sourceName) {
        this.prices = requireNonNull(prices, "prices is null");
        this.zones = requireNonNull(zones, "zones is null");
        this.scores = requireNonNull(scores, "scores is null");
        this.advisor = requireNonNull(advisor, "advisor is null");
        this.fallbackCatalog = requireNonNull(fallbackCatalog, "fallbackCatalog is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sourceName = requireNonNull(sourceName, "sourceName is null");
    }

    /** Refreshes and, when at least one pool was priced, replaces the store's latest snapshot. */
    public RefreshResult refreshInto(RefreshRequest request, SnapshotStore store) {
        RefreshResult result = refresh(request);
        result.market().ifPresent(store::save);
        return result;
    }

    public RefreshResult refresh(RefreshRequest request) {
        requireNonNull(request, "request is null");
        // Whole seconds: the snapshot's time is read by people, and prices do not move within a second.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        List<SourceFailure> failures = new ArrayList<>();
        SpotAdvisorFeed feed = fetchAdvisor(failures);
        // Every type: each priced type is looked up as its price arrives (types nobody knows the facts of skipped).
        Map<String, InstanceType> types = request.everyType() ? null
                : knownTypes(request.instanceTypes(), feed, failures);
        if (types != null && types.isEmpty()) {
            return new RefreshResult(null, failures, 0);
        }
        List<PoolSignals> pools = new ArrayList<>();
        for (String region : request.regions()) {
            pools.addAll(priceRegion(region, types, feed, now, failures));
        }
        if (pools.isEmpty()) {
            if (failures.stream().noneMatch(f -> f.signal() == Signal.SPOT_PRICES)) {
                failures.add(new SourceFailure(Signal.SPOT_PRICES, String.join(",", request.regions()),
                        ErrorCode.NO_MATCHING_POOL,
                        "no Linux spot price for " + (types == null ? "any type" : String.join(", ", types.keySet()))
                                + " in these regions; check that the types are offered there"));
            }
            return new RefreshResult(null, failures, 0);
        }
        int before = failures.size();
        int requests = applyScores(pools, request, failures);
        String source = sourceText(feed, pools, failures.subList(before, failures.size()));
        return new RefreshResult(new MarketSnapshot(source, now, pools), failures, requests);
    }

    private SpotAdvisorFeed fetchAdvisor(List<SourceFailure> failures) {
        try {
            return advisor.fetch();
        } catch (SpotkeeperException e) {
            failures.add(SourceFailure.of(Signal.ADVISOR, advisor.location(), e));
            return null;
        }
    }

    /** The requested types spotkeeper knows the facts of (vCPUs, memory); the others are reported. */
    private Map<String, InstanceType> knownTypes(List<String> wanted, SpotAdvisorFeed feed, List<SourceFailure> failures) {
        Map<String, InstanceType> known = new LinkedHashMap<>();
        for (String name : wanted) {
            Optional<InstanceType> type = feed == null ? Optional.empty() : feed.catalog().find(name);
            try {
                known.put(name, type.orElseGet(() -> fallbackCatalog.require(name)));
            } catch (SpotkeeperException e) {
                failures.add(SourceFailure.of(Signal.INSTANCE_TYPES, name, e));
            }
        }
        return known;
    }

    /** @param types the types to price, or null for every type the region lists */
    private List<PoolSignals> priceRegion(String region, Map<String, InstanceType> types, SpotAdvisorFeed feed,
            Instant now, List<SourceFailure> failures) {
        List<SpotPrice> regionPrices;
        try {
            regionPrices = prices.latestPrices(region, types == null ? List.of() : List.copyOf(types.keySet()));
        } catch (SpotkeeperException e) {
            failures.add(SourceFailure.of(Signal.SPOT_PRICES, region, e));
            return List.of();
        }
        Map<String, String> idByName = new HashMap<>();
        try {
            for (Zone z : zones.zones(region)) {
                idByName.put(z.name(), z.id());
            }
        } catch (SpotkeeperException e) {
            failures.add(SourceFailure.of(Signal.ZONES, region, e));
        }
        List<PoolSignals> pools = new ArrayList<>();
        for (SpotPrice p : regionPrices) {
            InstanceType type = types != null ? types.get(p.instanceType()) : typeOf(p.instanceType(), feed);
            if (type == null) {
                continue;
            }
            Pool pool = new Pool(region, idByName.getOrDefault(p.azName(), ""), p.azName(), p.instanceType());
            Optional<SpotAdvisorFeed.Entry> entry = feed == null ? Optional.empty() : feed.linux(region, p.instanceType());
            double onDemand = entry.map(e -> onDemandEstimate(p.pricePerHour(), e.savingsPercent())).orElse(Double.NaN);
            InterruptionBand band = entry.map(SpotAdvisorFeed.Entry::band).orElse(null);
            pools.add(new PoolSignals(pool, type, now, p.pricePerHour(), onDemand, 0, "", band));
        }
        return pools;
    }

    private InstanceType typeOf(String name, SpotAdvisorFeed feed) {
        Optional<InstanceType> type = feed == null ? Optional.empty() : feed.catalog().find(name);
        return type.or(() -> fallbackCatalog.find(name)).orElse(null);
    }

    /**
     * The advisor gives savings against on-demand per region and type, not the on-demand price; dividing the
     * AZ's spot price by (1 − savings) estimates it. Only an estimate: the savings are a regional average.
     */
    static double onDemandEstimate(double spotPrice, int savingsPercent) {
        if (savingsPercent <= 0 || savingsPercent >= 100 || spotPrice <= 0) {
            return Double.NaN;
        }
        return spotPrice / (1.0 - savingsPercent / 100.0);
    }

    /** Asks for scores batch by batch and writes them into the pools in place; returns the requests made. */
    private int applyScores(List<PoolSignals> pools, RefreshRequest request, List<SourceFailure> failures) {
        Map<String, InstanceType> priced = new LinkedHashMap<>();
        Set<String> regions = new LinkedHashSet<>();
        Set<String> scored = request.everyType() ? Set.copyOf(request.instanceTypes()) : null;
        for (PoolSignals p : pools) {
            if (scored == null || scored.contains(p.type().name())) {
                priced.put(p.type().name(), p.type());
            }
            regions.add(p.pool().region());
        }
        List<List<String>> batches = ScoreBatches.of(List.copyOf(priced.values()), request.maxTypesPerScoreRequest());
        if (batches.isEmpty()) {
            failures.add(new SourceFailure(Signal.PLACEMENT_SCORES, String.join(",", priced.keySet()),
                    ErrorCode.INVALID_ARGUMENT,
                    "not asked: AWS scores requests with fewer than 3 instance types as always low; "
                            + "pass at least 3 types to get placement scores"));
            return 0;
        }
        for (List<String> batch : batches) {
            PlacementScoreRequest req = new PlacementScoreRequest(batch, List.copyOf(regions), request.targetCapacity(), true);
            try {
                apply(pools, req, scores.scores(req));
            } catch (SpotkeeperException e) {
                failures.add(SourceFailure.of(Signal.PLACEMENT_SCORES, req.describe(), e));
            }
        }
        return batches.size();
    }

    private static void apply(List<PoolSignals> pools, PlacementScoreRequest req, List<PlacementScore> answer) {
        Map<String, Integer> byZone = new HashMap<>();
        for (PlacementScore s : answer) {
            if (!s.azId().isEmpty()) {
                byZone.put(s.region() + "/" + s.azId(), s.score());
            }
        }
        Set<String> types = Set.copyOf(req.instanceTypes());
        for (int i = 0; i < pools.size(); i++) {
            PoolSignals p = pools.get(i);
            Integer score = byZone.get(p.pool().region() + "/" + p.pool().azId());
            if (types.contains(p.type().name()) && !p.pool().azId().isEmpty() && score != null) {
                pools.set(i, p.withPlacementScore(score, req.describe()));
            }
        }
    }

    /** Says where the snapshot came from and, when scores are missing, why: the snapshot carries its own caveats. */
    private String sourceText(SpotAdvisorFeed feed, List<PoolSignals> pools, List<SourceFailure> scoreFailures) {
        StringBuilder sb = new StringBuilder("live AWS signals from ").append(sourceName);
        sb.append(feed == null ? "; Spot Advisor unavailable (bands and on-demand prices unknown)"
                : "; Spot Advisor " + advisor.location());
        long unscored = pools.stream().filter(p -> !p.hasPlacementScore()).count();
        if (unscored > 0) {
            sb.append("; placement score unknown for ").append(unscored).append(" of ").append(pools.size())
                    .append(" pools");
            if (!scoreFailures.isEmpty()) {
                sb.append(" (").append(scoreFailures.get(0).code()).append(": ")
                        .append(scoreFailures.get(0).message()).append(')');
            }
        }
        return sb.toString();
    }
}
