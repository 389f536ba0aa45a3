package dev.spotkeeper.emulator.market;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.market.InstanceCatalog;
import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.market.io.ShippedMarket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The emulated spot market: every pool's capacity and price, moved forward in steps. One step covers
 * {@code marketStep} of market time and {@code marketStep / timeScale} of emulator (clock) time, so at time
 * scale 60 one market hour passes per minute. Steps run from a scheduler or by hand ({@link #step()}); the
 * same seed, data and steps always give the same events.
 */
public final class SpotMarket {
    public static final Duration DEFAULT_STEP = Duration.ofMinutes(1);
    private static final int HISTORY_LIMIT = 64;

    private final Map<String, Entry> pools = new TreeMap<>();
    private final AzNames zones;
    private final Duration marketStep;
    private final Duration clockStep;
    private final List<Consumer<MarketEvent>> listeners = new CopyOnWriteArrayList<>();
    private Instant now;
    private Duration elapsed = Duration.ZERO;

    /** A price as it stood from {@code time} on. */
    public record PricePoint(Instant time, double price) {
    }

    private static final class Entry {
        final PoolView base;
        final PoolModel model;
        final SplittableRandom random;
        PoolModel.State state;
        Boolean forcedCapacity;
        Double forcedPrice;
        final Deque<PricePoint> history = new ArrayDeque<>();

        Entry(PoolView base, PoolModel model, SplittableRandom random) {
            this.base = base;
            this.model = model;
            this.random = random;
        }

        boolean available() {
            return forcedCapacity != null ? forcedCapacity : state.available();
        }

        double price() {
            return forcedPrice != null ? forcedPrice : state.price();
        }
    }

    /**
     * @param traces trace-backed pools; they replace the snapshot's pool of the same zone and type
     * @param start the emulator time of the market's first moment
     */
    public SpotMarket(MarketSnapshot snapshot, List<TraceSeries> traces, long seed, Instant start, double timeScale,
                      Duration marketStep) {
        requireNonNull(snapshot, "snapshot is null");
        requireNonNull(start, "start is null");
        requireNonNull(marketStep, "marketStep is null");
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("time scale must be positive: " + timeScale);
        }
        this.zones = AzNames.of(snapshot);
        this.marketStep = marketStep;
        this.clockStep = Duration.ofNanos(Math.max(1, (long) (marketStep.toNanos() / timeScale)));
        this.now = start;
        for (PoolSignals p : snapshot.pools()) {
            addSnapshotPool(p, seed);
        }
        int startRow = (int) Math.floorMod(new SplittableRandom(seed).nextLong(), 1L << 20);
        InstanceCatalog catalog = ShippedMarket.catalog();
        for (TraceSeries t : traces) {
            addTracePool(t, catalog, seed, startRow);
        }
        for (Entry e : pools.values()) {
            e.state = e.model.initial(e.random);
            e.history.add(new PricePoint(start, e.price()));
        }
    }

    public static String key(String region, String azName, String instanceType) {
        return region + "/" + azName + "/" + instanceType;
    }

    private void addSnapshotPool(PoolSignals p, long seed) {
        Optional<AzNames.Zone> zone = zones.find(p.pool().zone());
        String azId = zone.map(AzNames.Zone::id).orElse(p.pool().azId());
        String azName = zone.map(AzNames.Zone::name).orElse(p.pool().azName());
        if (azName.isEmpty()) {
            return;
        }
        double onDemand = Double.isNaN(p.onDemandPrice()) ? p.spotPrice() * 3 : p.onDemandPrice();
        PoolView view = new PoolView(p.pool().region(), azId, azName, p.type(), p.spotPrice(), onDemand, true,
                p.placementScore(), p.band(), false);
        pools.put(view.key(), new Entry(view, new SnapshotPoolModel(p.spotPrice(), onDemand, p.band()),
                randomFor(seed, view.key())));
    }

    private void addTracePool(TraceSeries t, InstanceCatalog catalog, long seed, int startRow) {
        InstanceType type = catalog.require(t.instanceType());
        String azId = zones.find(t.azName()).map(AzNames.Zone::id).orElse("");
        String key = key(t.region(), t.azName(), t.instanceType());
        Entry previous = pools.get(key);
        int score = previous == null ? 0 : previous.base.placementScore();
        PoolView view = new PoolView(t.region(), azId, t.azName(), type, t.price(0), t.onDemandPrice(), true,
                score, null, true);
        pools.put(key, new Entry(view, new TracePoolModel(t, startRow), randomFor(seed, key)));
    }

    private static SplittableRandom randomFor(long seed, String key) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + key.hashCode());
    }

    public AzNames zones() {
        return zones;
    }

    public synchronized Instant now() {
        return now;
    }

    /** Emulator time that one step covers. */
    public Duration clockStep() {
        return clockStep;
    }

    public void addListener(Consumer<MarketEvent> listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /** Moves the market one step forward and returns (and tells listeners) what changed. */
    public List<MarketEvent> step() {
        List<MarketEvent> events;
        synchronized (this) {
            events = stepLocked();
        }
        publish(events);
        return events;
    }

    /** Steps until the market has caught up with {@code time}; returns every change on the way. */
    public List<MarketEvent> advanceTo(Instant time) {
        List<MarketEvent> events = new ArrayList<>();
        synchronized (this) {
            while (!now.plus(clockStep).isAfter(time)) {
                events.addAll(stepLocked());
            }
        }
        publish(events);
        return events;
    }

    private List<MarketEvent> stepLocked() {
        now = now.plus(clockStep);
        elapsed = elapsed.plus(marketStep);
        List<MarketEvent> events = new ArrayList<>();
        for (Map.Entry<String, Entry> me : pools.entrySet()) {
            Entry e = me.getValue();
            boolean wasAvailable = e.available();
            double oldPrice = e.price();
            e.state = e.model.step(elapsed, marketStep, e.state, e.random);
            record(me.getKey(), e, wasAvailable, oldPrice, events);
        }
        return events;
    }

    private void record(String key, Entry e, boolean wasAvailable, double oldPrice, List<MarketEvent> events) {
        if (e.price() != oldPrice) {
            e.history.addLast(new PricePoint(now, e.price()));
            while (e.history.size() > HISTORY_LIMIT) {
                e.history.removeFirst();
            }
            events.add(new MarketEvent(now, key, MarketEvent.Kind.PRICE_CHANGED, e.price()));
        }
        if (wasAvailable != e.available()) {
            events.add(new MarketEvent(now, key, e.available() ? MarketEvent.Kind.CAPACITY_RESTORED
                    : MarketEvent.Kind.CAPACITY_LOST, e.price()));
        }
    }

    private void publish(List<MarketEvent> events) {
        for (MarketEvent event : events) {
            for (Consumer<MarketEvent> l : listeners) {
                l.accept(event);
            }
        }
    }

    /**
     * Holds a pool's capacity at {@code available} regardless of its model ({@code null} hands it back), as an
     * operator's "what if this pool dried up" switch; tells listeners at once.
     */
    public void forceCapacity(String region, String azName, String instanceType, Boolean available) {
        List<MarketEvent> events = new ArrayList<>();
        synchronized (this) {
            Entry e = require(region, azName, instanceType);
            boolean was = e.available();
            double price = e.price();
            e.forcedCapacity = available;
            record(key(region, azName, instanceType), e, was, price, events);
        }
        publish(events);
    }

    /** Holds a pool's spot price ({@code null} hands it back to the model); tells listeners at once. */
    public void forcePrice(String region, String azName, String instanceType, Double price) {
        List<MarketEvent> events = new ArrayList<>();
        synchronized (this) {
            Entry e = require(region, azName, instanceType);
            boolean was = e.available();
            double old = e.price();
            e.forcedPrice = price;
            record(key(region, azName, instanceType), e, was, old, events);
        }
        publish(events);
    }

    private Entry require(String region, String azName, String instanceType) {
        Entry e = pools.get(key(region, azName, instanceType));
        if (e == null) {
            throw new IllegalArgumentException("no pool " + key(region, azName, instanceType));
        }
        return e;
    }

    public synchronized Optional<PoolView> pool(String region, String azName, String instanceType) {
        Entry e = pools.get(key(region, azName, instanceType));
        return Optional.ofNullable(e == null ? null : view(e));
    }

    /** Every pool of one region (all regions when {@code region} is null), in key order. */
    public synchronized List<PoolView> pools(String region) {
        List<PoolView> out = new ArrayList<>();
        for (Entry e : pools.values()) {
            if (region == null || e.base.region().equals(region)) {
                out.add(view(e));
            }
        }
        return out;
    }

    public synchronized List<PricePoint> priceHistory(String region, String azName, String instanceType) {
        Entry e = pools.get(key(region, azName, instanceType));
        return e == null ? List.of() : List.copyOf(e.history);
    }

    private static PoolView view(Entry e) {
        PoolView b = e.base;
        return new PoolView(b.region(), b.azId(), b.azName(), b.type(), e.price(), b.onDemandPrice(), e.available(),
                b.placementScore(), b.band(), b.traceBacked());
    }
}
