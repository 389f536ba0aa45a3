package dev.spotkeeper.emulator.ec2;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.emulator.ec2.internal.Ec2Backend;
import dev.spotkeeper.emulator.ec2.internal.Ec2Handler;
import dev.spotkeeper.emulator.ec2.internal.ServiceLaunches;
import dev.spotkeeper.emulator.ec2.internal.Timers;
import dev.spotkeeper.emulator.market.SpotMarket;
import dev.spotkeeper.emulator.market.V100Traces;
import dev.spotkeeper.emulator.market.internal.MarketControlHandler;
import dev.spotkeeper.emulator.spi.CloudEventSink;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import dev.spotkeeper.emulator.spi.InstanceControl;
import dev.spotkeeper.emulator.spi.InstanceLauncher;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Locale;

/**
 * Emulated EC2: the query API on the edge endpoint, the spot market behind it, instances as local processes
 * with their own IMDS. Provides {@link InstanceControl}, {@link InstanceLauncher} and {@link SpotMarket} to the other
 * components.
 */
public final class Ec2Component implements EmulatorComponent {
    private final Ec2Settings settings;
    private Timers timers;
    private Ec2Backend backend;
    private SpotMarket market;
    private EmulatorContext context;

    public Ec2Component(Ec2Settings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public void start(EmulatorContext context) throws IOException {
        this.context = context;
        market = new SpotMarket(settings.market(), settings.traces() ? V100Traces.shipped() : List.of(),
                context.seed(), context.clock().instant(), context.timeScale(), settings.marketStep());
        timers = new Timers(context.clock(), e -> logError(context.workDirectory(), e));
        backend = new Ec2Backend(settings, market, timers, context.seed(), context.timeScale(),
                context.workDirectory(), context.endpoint(),
                () -> context.lookup(CloudEventSink.class).orElse(CloudEventSink.NONE));
        timers.onTick(market::advanceTo);
        context.register(new Ec2Handler(backend));
        context.register(new MarketControlHandler(market, settings.credentials().secretAccessKey()));
        context.provide(InstanceControl.class, backend);
        context.provide(InstanceLauncher.class, new ServiceLaunches(backend));
        context.provide(SpotMarket.class, market);
    }

    /** The market, to step or steer by hand (tests, demos). */
    public SpotMarket market() {
        return market;
    }

    public InstanceControl instances() {
        return backend;
    }

    /** The IMDS endpoint of a running instance (what its processes see as AWS_EC2_METADATA_SERVICE_ENDPOINT). */
    public Optional<URI> imdsEndpoint(String instanceId) {
        return backend.imdsEndpoint(instanceId);
    }

    /**
     * What an earlier emulator in the same work directory left: how many instances it had launched (listed now as
     * terminated) and how many of them still ran at this start (their processes were ended).
     */
    public EarlierRun earlierRun() {
        return new EarlierRun(backend.earlierInstances(), backend.leftovers());
    }

    /** What an earlier emulator in the same work directory left, found at this start. */
    public record EarlierRun(int instances, int stillRunning) {
    }

    /** Runs the timers' due work now instead of at the next 50 ms poll (tests with a hand-moved clock). */
    public void runDue() {
        timers.tick();
    }

    @Override
    public List<String> describe() {
        if (context == null) {
            return List.of();
        }
        return List.of(
                "EC2:    " + context.endpoint() + " (query API 2016-11-15; regions: "
                        + String.join(", ", market.zones().regions()) + ")",
                String.format(Locale.ROOT, "market: %d pools from %s%s; seed %d; time scale %sx; interruption "
                                + "warning %ss%s", market.pools(null).size(), settings.market().source(),
                        settings.traces() ? " + p3.2xlarge traces in 9 zones" : "", context.seed(),
                        trim(context.timeScale()), settings.warning(context.timeScale()).toMillis() / 1000.0,
                        settings.scaleWarning() ? " (scaled)" : " (real time)"),
                "instances: work directories under " + context.workDirectory().resolve("instances")
                        + "; boot delay " + settings.bootDelay().toMillis() / 1000.0 + "s; vCPU quota "
                        + settings.vcpuQuota());
    }

    /** A failure in scheduled work goes to {@code emulator-errors.log}: it must not stop the timers. */
    private static void logError(Path workDirectory, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        try {
            Files.writeString(workDirectory.resolve("emulator-errors.log"), trace.toString(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // nowhere left to report it; the emulator keeps running
        }
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    @Override
    public void close() {
        if (timers != null) {
            timers.close();
        }
        if (backend != null) {
            backend.close();
        }
    }
}
