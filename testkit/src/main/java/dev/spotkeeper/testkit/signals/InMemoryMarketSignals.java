package dev.spotkeeper.testkit.signals;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.signals.PlacementScore;
import dev.spotkeeper.core.signals.PlacementScoreRequest;
import dev.spotkeeper.core.signals.PlacementScoreSource;
import dev.spotkeeper.core.signals.SpotPrice;
import dev.spotkeeper.core.signals.SpotPriceSource;
import dev.spotkeeper.core.signals.Zone;
import dev.spotkeeper.core.signals.ZoneSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory spot prices, zones and placement scores with a switchable failure per signal and call counters,
 * for tests of whatever consumes the signal ports (the refresher, the controller's schedule).
 */
public final class InMemoryMarketSignals implements SpotPriceSource, ZoneSource, PlacementScoreSource {
    private final List<SpotPrice> prices = new CopyOnWriteArrayList<>();
    private final List<Zone> zones = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> scoreByAzId = new ConcurrentHashMap<>();
    private final List<PlacementScoreRequest> scoreRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger priceCalls = new AtomicInteger();
    private volatile SpotkeeperException pricesFailure;
    private volatile SpotkeeperException zonesFailure;
    private volatile SpotkeeperException scoresFailure;

    public InMemoryMarketSignals zone(String region, String name, String id) {
        zones.add(new Zone(region, name, id));
        return this;
    }

    public InMemoryMarketSignals price(SpotPrice price) {
        prices.add(price);
        return this;
    }

    public InMemoryMarketSignals score(String azId, int score) {
        scoreByAzId.put(azId, score);
        return this;
    }

    /** Every later call for prices throws this; null heals. */
    public void failPrices(SpotkeeperException failure) {
        pricesFailure = failure;
    }

    public void failZones(SpotkeeperException failure) {
        zonesFailure = failure;
    }

    public void failScores(SpotkeeperException failure) {
        scoresFailure = failure;
    }

    public int priceCalls() {
        return priceCalls.get();
    }

    public List<PlacementScoreRequest> scoreRequests() {
        return List.copyOf(scoreRequests);
    }

    @Override
    public List<SpotPrice> latestPrices(String region, List<String> instanceTypes) {
        priceCalls.incrementAndGet();
        SpotkeeperException failure = pricesFailure;
        if (failure != null) {
            throw failure;
        }
        Map<String, SpotPrice> latest = new LinkedHashMap<>();
        for (SpotPrice p : prices) {
            if (p.region().equals(region) && (instanceTypes.isEmpty() || instanceTypes.contains(p.instanceType()))) {
                latest.merge(p.azName() + "/" + p.instanceType(), p, (a, b) -> b.time().isAfter(a.time()) ? b : a);
            }
        }
        return List.copyOf(latest.values());
    }

    @Override
    public List<Zone> zones(String region) {
        SpotkeeperException failure = zonesFailure;
        if (failure != null) {
            throw failure;
        }
        return zones.stream().filter(z -> z.region().equals(region)).toList();
    }

    @Override
    public List<PlacementScore> scores(PlacementScoreRequest request) {
        scoreRequests.add(request);
        SpotkeeperException failure = scoresFailure;
        if (failure != null) {
            throw failure;
        }
        List<PlacementScore> out = new ArrayList<>();
        for (String region : request.regions()) {
            int best = 0;
            for (Zone z : zones) {
                Integer s = scoreByAzId.get(z.id());
                if (z.region().equals(region) && s != null) {
                    best = Math.max(best, s);
                    if (request.singleAvailabilityZone()) {
                        out.add(new PlacementScore(region, z.id(), s));
                    }
                }
            }
            if (!request.singleAvailabilityZone() && best > 0) {
                out.add(new PlacementScore(region, "", best));
            }
        }
        return List.copyOf(out);
    }
}
