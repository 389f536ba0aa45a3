package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.emulator.ec2.Ec2Settings;
import dev.spotkeeper.emulator.market.AzNames;
import dev.spotkeeper.emulator.market.MarketEvent;
import dev.spotkeeper.emulator.market.PoolView;
import dev.spotkeeper.emulator.market.SpotMarket;
import dev.spotkeeper.emulator.spi.CloudEventSink;
import dev.spotkeeper.emulator.spi.InstanceControl;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The emulated EC2 account: instances, spot requests and launch templates, the launch rules (quota, capacity,
 * max price) and the market's hold over spot instances. Also the {@link InstanceControl} other parts use.
 */
public final class Ec2Backend implements InstanceControl, AutoCloseable {
    private final Ec2Settings settings;
    private final SpotMarket market;
    private final Timers timers;
    private final double timeScale;
    private final Path workDirectory;
    private final Map<String, EmulatedInstance> instances = new LinkedHashMap<>();
    private final Map<String, SpotRequest> spotRequests = new ConcurrentHashMap<>();
    private final LaunchTemplates templates;
    private final SplittableRandom ids;
    private final ExecutorService workers;
    private final Lifecycle lifecycle;
    private final InstanceRecords records;
    private final int leftovers;
    private final Supplier<CloudEventSink> sink;
    private final List<EmulatedInstance> toAnnounce = new ArrayList<>();
    private int earlier;
    private int nextAddress = 10;
    private final ElasticAddresses addresses;

    /**
     * Also ends what an earlier emulator in the same work directory left running and lists its instances again,
     * terminated: their emulator is gone, so they cannot go on.
     */
    public Ec2Backend(Ec2Settings settings, SpotMarket market, Timers timers, long seed, double timeScale,
                      Path workDirectory, URI edge, Supplier<CloudEventSink> sink) throws IOException {
        this.settings = settings;
        this.market = market;
        this.timers = timers;
        this.timeScale = timeScale;
        this.workDirectory = workDirectory;
        this.records = new InstanceRecords(workDirectory.resolve("instances"));
        // Each start in a work directory draws its ids from a stream of its own: the same seed replays the same
        // ids in a fresh directory, and a later start never repeats an earlier one's (instance ids are also
        // checked against every instance the directory has held).
        long start = records.countStart();
        this.ids = new SplittableRandom(seed ^ 0x5EED_EC2L ^ (start * 0x9E37_79B9_7F4A_7C15L));
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "emulator-ec2");
            t.setDaemon(true);
            return t;
        });
        this.templates = new LaunchTemplates(this::newId, timers);
        this.addresses = new ElasticAddresses(workers, this::find);
        this.lifecycle = new Lifecycle(timers, sink, workers, edge, settings.credentials(), spotRequests, records,
                settings.modelInstances());
        List<InstanceRecords.Stored> earlier = records.previous();
        this.leftovers = InstanceRecords.endLeftovers(earlier);
        earlier.forEach(this::restoreTerminated);
        market.addListener(this::onMarketEvent);
        SpotRequestFlow flow = new SpotRequestFlow(this);
        timers.onTick(flow::evaluate);
        this.sink = sink;
        timers.onTick(now -> {
            announceRestored();
            lifecycle.powerRequests(all());
            addresses.sweep();
        });
    }

    /**
     * Publishes the termination of the earlier instances once an event sink is there (it starts after EC2), so a
     * controller learns at once that they are gone, as EventBridge would have told it had it been listening.
     */
    private void announceRestored() {
        List<EmulatedInstance> due;
        synchronized (this) {
            if (toAnnounce.isEmpty() || sink.get() == CloudEventSink.NONE) {
                return;
            }
            due = new ArrayList<>(toAnnounce);
            toAnnounce.clear();
        }
        due.forEach(lifecycle::announceTerminated);
    }

    /** How many instances of an earlier emulator in this work directory still ran at this start (and were ended). */
    public int leftovers() {
        return leftovers;
    }

    /** How many instances an earlier emulator in this work directory had launched; all are listed as terminated. */
    public int earlierInstances() {
        return earlier;
    }

    private synchronized void restoreTerminated(InstanceRecords.Stored s) {
        Optional<AzNames.Zone> zone = market.zones().find(s.zone());
        Optional<InstanceType> type = ShippedMarket.catalog().find(s.instanceType());
        if (zone.isEmpty() || type.isEmpty() || instances.containsKey(s.id())) {
            return;
        }
        LaunchSpec spec = new LaunchSpec(s.imageId() == null ? "ami-unknown" : s.imageId(), type.get(), s.region(),
                s.zone(), null, null, s.tags(), s.spot(), Double.NaN, "required", 2, false, null);
        EmulatedInstance i = new EmulatedInstance(s.id(), s.reservationId() == null ? newId("r") : s.reservationId(),
                spec, zone.get(), s.privateIp() == null ? "10.0.0.4" : s.privateIp(), s.launchTime(), null,
                workDirectory.resolve("instances").resolve(s.id()));
        i.moveTo(InstanceState.TERMINATED, "Server.InternalError",
                "Server.InternalError: the emulator that ran this instance stopped before it");
        instances.put(s.id(), i);
        toAnnounce.add(i);
        earlier++;
    }

    public SpotMarket market() {
        return market;
    }

    public Ec2Settings settings() {
        return settings;
    }

    public ElasticAddresses addresses() {
        return addresses;
    }

    public LaunchTemplates templates() {
        return templates;
    }

    public Timers timers() {
        return timers;
    }

    synchronized String newId(String prefix) {
        while (true) {
            StringBuilder sb = new StringBuilder(prefix).append('-');
            for (int i = 0; i < 17; i++) {
                sb.append(Character.forDigit(ids.nextInt(16), 16));
            }
            String id = sb.toString();
            if (!prefix.equals("i") || (!instances.containsKey(id) && !records.known(id))) {
                return id;
            }
        }
    }

    /** Launches {@code count} instances of one spec, all or none; errors are AWS's. */
    public List<EmulatedInstance> launch(LaunchSpec spec, int count, String reservationId) {
        List<EmulatedInstance> launched = new ArrayList<>();
        synchronized (this) {
            AzNames.Zone zone = LaunchRules.zoneFor(spec, market);
            LaunchRules.checkQuota(spec, count, liveVcpus(spec.spot()), settings.vcpuQuota());
            if (spec.spot()) {
                LaunchRules.checkSpot(spec, zone, market);
            }
            for (int i = 0; i < count; i++) {
                launched.add(create(spec, zone, reservationId));
            }
        }
        for (EmulatedInstance instance : launched) {
            lifecycle.launched(instance, settings.bootDelay());
        }
        return launched;
    }

    private EmulatedInstance create(LaunchSpec spec, AzNames.Zone zone, String reservationId) {
        String id = newId("i");
        String spotRequestId = null;
        if (spec.spot()) {
            spotRequestId = newSpotRequestId();
            double max = Double.isNaN(spec.maxPrice()) ? onDemandPrice(spec, zone) : spec.maxPrice();
            spotRequests.put(spotRequestId, SpotRequest.fulfilled(spotRequestId, id, spec, zone.name(), zone.id(),
                    max, timers.now()));
        }
        return instance(id, spec, zone, reservationId, spotRequestId);
    }

    private String newSpotRequestId() {
        return newId("sir").substring(0, 12);
    }

    /**
     * RequestSpotInstances: {@code count} open requests, one per instance as EC2 makes them, each fulfilled later
     * by {@link SpotRequestFlow}. The quota is checked now, as EC2 refuses a request past it at once.
     */
    public synchronized List<SpotRequest> requestSpot(LaunchSpec spec, int count, double maxPrice, Instant validUntil,
                                                      Map<String, String> tags) {
        LaunchRules.checkQuota(spec, count, liveVcpus(true), settings.vcpuQuota());
        List<SpotRequest> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SpotRequest r = SpotRequest.open(newSpotRequestId(), spec, maxPrice, validUntil, timers.now());
            r.tags.putAll(tags);
            spotRequests.put(r.id, r);
            made.add(r);
        }
        return made;
    }

    /** Launches the instance of an open request, or throws EC2's error that keeps it open. */
    void fulfil(SpotRequest r) {
        EmulatedInstance instance;
        synchronized (this) {
            AzNames.Zone zone = LaunchRules.zoneFor(r.spec, market);
            LaunchRules.checkQuota(r.spec, 1, liveVcpus(true), settings.vcpuQuota());
            LaunchRules.checkSpot(r.spec, zone, market);
            instance = instance(newId("i"), r.spec, zone, newId("r"), r.id);
            r.fulfil(instance.id, zone.name(), zone.id(), timers.now());
        }
        lifecycle.launched(instance, settings.bootDelay());
    }

    /** The on-demand price of a type in a region: what a spot request without a price pays at most. */
    double onDemandPrice(String region, String type) {
        return market.pools(region).stream().filter(p -> p.type().name().equals(type))
                .mapToDouble(PoolView::onDemandPrice).filter(p -> !Double.isNaN(p)).max().orElse(Double.NaN);
    }

    private EmulatedInstance instance(String id, LaunchSpec spec, AzNames.Zone zone, String reservationId,
                                      String spotRequestId) {
        Instant now = timers.now();
        int address = nextAddress++;
        String ip = "10.0." + (address / 250) % 250 + "." + (address % 250 + 4);
        EmulatedInstance instance = new EmulatedInstance(id, reservationId, spec, zone, ip, now, spotRequestId,
                workDirectory.resolve("instances").resolve(id));
        // Its pending event is raised before anyone can see it, so that no later event can come first.
        lifecycle.created(instance);
        instances.put(id, instance);
        return instance;
    }

    private double onDemandPrice(LaunchSpec spec, AzNames.Zone zone) {
        return market.pool(zone.region(), zone.name(), spec.type().name()).map(PoolView::onDemandPrice)
                .orElse(Double.MAX_VALUE);
    }

    private int liveVcpus(boolean spot) {
        int sum = 0;
        for (EmulatedInstance i : instances.values()) {
            if (i.spot() == spot && i.state().isLive()) {
                sum += i.spec.type().vcpus();
            }
        }
        return sum;
    }

    public synchronized List<EmulatedInstance> all() {
        return new ArrayList<>(instances.values());
    }

    public synchronized Optional<EmulatedInstance> find(String id) {
        return Optional.ofNullable(instances.get(id));
    }

    public Optional<URI> imdsEndpoint(String instanceId) {
        return find(instanceId).map(i -> i.imds).map(ImdsServer::endpoint);
    }

    public List<SpotRequest> spotRequests() {
        List<SpotRequest> list = new ArrayList<>(spotRequests.values());
        list.sort((a, b) -> a.createTime.compareTo(b.createTime) != 0 ? a.createTime.compareTo(b.createTime)
                : a.id.compareTo(b.id));
        return list;
    }

    public Optional<SpotRequest> spotRequest(String id) {
        return Optional.ofNullable(spotRequests.get(id));
    }

    /** TerminateInstances: the user ends the instance. */
    public void terminateByUser(EmulatedInstance instance) {
        lifecycle.terminate(instance, "Client.UserInitiatedShutdown",
                "Client.UserInitiatedShutdown: User initiated shutdown", "closed", "instance-terminated-by-user");
    }

    private void onMarketEvent(MarketEvent event) {
        if (event.kind() == MarketEvent.Kind.CAPACITY_RESTORED) {
            return;
        }
        for (EmulatedInstance i : all()) {
            if (!i.spot() || !i.state().isLive() || !key(i).equals(event.poolKey())) {
                continue;
            }
            Duration warning = settings.warning(timeScale);
            if (event.kind() == MarketEvent.Kind.CAPACITY_LOST) {
                lifecycle.interrupt(i, warning, "instance-terminated-no-capacity", "no spot capacity in the pool");
            } else {
                SpotRequest r = spotRequests.get(i.spotRequestId);
                if (r != null && event.price() > r.maxPrice) {
                    lifecycle.interrupt(i, warning, "instance-terminated-by-price",
                            "the spot price rose above the maximum price");
                }
            }
        }
    }

    private static String key(EmulatedInstance i) {
        return SpotMarket.key(i.zone.region(), i.zone.name(), i.spec.type().name());
    }

    @Override
    public List<InstanceView> instances() {
        List<InstanceView> views = new ArrayList<>();
        for (EmulatedInstance i : all()) {
            views.add(new InstanceView(i.id, i.state().awsName(), i.spot(), i.zone.name(), i.zone.region(),
                    i.spec.type().name(), i.tags()));
        }
        return views;
    }

    @Override
    public java.util.OptionalInt hostPort(String instanceId, int port) {
        return find(instanceId).map(i -> java.util.OptionalInt.of(i.hostPort(port))).orElse(java.util.OptionalInt.empty());
    }

    @Override
    public boolean interrupt(String instanceId, Duration beforeTermination) {
        EmulatedInstance i = find(instanceId).orElse(null);
        if (i == null || i.state() != InstanceState.RUNNING) {
            return false;
        }
        return lifecycle.interrupt(i, beforeTermination.isNegative() ? Duration.ZERO : beforeTermination,
                "instance-terminated-by-experiment", "interrupted by a fault injection experiment");
    }

    @Override
    public boolean terminate(String instanceId) {
        EmulatedInstance i = find(instanceId).orElse(null);
        if (i == null || !i.state().isLive()) {
            return false;
        }
        terminateByUser(i);
        return true;
    }

    @Override
    public void close() {
        addresses.close();
        List<EmulatedInstance> live = all();
        List<java.util.concurrent.Future<?>> stops = new ArrayList<>();
        for (EmulatedInstance i : live) {
            stops.add(workers.submit(() -> {
                InstanceProcess p = i.process;
                if (p != null) {
                    p.destroyTree();
                }
                ImdsServer imds = i.imds;
                if (imds != null) {
                    imds.close();
                }
            }));
        }
        for (java.util.concurrent.Future<?> f : stops) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException ignored) {
                // keep stopping the others
            }
        }
        workers.shutdownNow();
    }
}
