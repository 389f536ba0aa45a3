package dev.spotkeeper.emulator.autoscaling;

import dev.spotkeeper.emulator.autoscaling.internal.AutoScalingActions;
import dev.spotkeeper.emulator.autoscaling.internal.AutoScalingService;
import dev.spotkeeper.emulator.spi.CloudEventSink;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import dev.spotkeeper.emulator.spi.InstanceControl;
import dev.spotkeeper.emulator.spi.InstanceLauncher;
import dev.spotkeeper.emulator.spi.LoadBalancerControl;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Amazon EC2 Auto Scaling at the edge (signing name {@code autoscaling}, query API 2011-01-01): groups launched
 * through the emulator's EC2, registered with its load balancers' target groups, kept at their desired capacity by a
 * loop every 100 ms (see docs/emulator-fleet.md). Finds EC2, ELB and event delivery at call time.
 */
public final class AutoScalingComponent implements EmulatorComponent {
    static final long TICK_MILLIS = 100;
    private final String account;
    private ScheduledExecutorService loop;
    private String endpoint;

    public AutoScalingComponent(String account) {
        this.account = account;
    }

    @Override
    public void start(EmulatorContext context) {
        AutoScalingService service = new AutoScalingService(context.clock(), context.seed() ^ 0x41534700L, account,
                new AutoScalingService.Ports(() -> context.lookup(InstanceControl.class),
                        () -> context.lookup(InstanceLauncher.class), () -> context.lookup(LoadBalancerControl.class),
                        () -> context.lookup(CloudEventSink.class).orElse(CloudEventSink.NONE)));
        context.register(new AutoScalingActions(service).handler());
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "emulator-autoscaling");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(() -> {
            try {
                service.tick();
            } catch (RuntimeException e) {
                // one failed pass must not stop the loop; the next one tries again
            }
        }, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        endpoint = context.endpoint().toString();
    }

    @Override
    public List<String> describe() {
        return List.of("AutoScaling: " + endpoint + " (query API " + AutoScalingActions.VERSION + ")");
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.shutdownNow();
            loop = null;
        }
    }
}
