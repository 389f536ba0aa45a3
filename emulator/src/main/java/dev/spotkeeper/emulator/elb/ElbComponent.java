package dev.spotkeeper.emulator.elb;

import dev.spotkeeper.emulator.elb.internal.ElbActions;
import dev.spotkeeper.emulator.elb.internal.ElbService;
import dev.spotkeeper.emulator.elb.internal.ListenerLookupHandler;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import dev.spotkeeper.emulator.spi.InstanceControl;
import dev.spotkeeper.emulator.spi.LoadBalancerControl;
import java.util.ArrayList;
import java.util.List;

/**
 * Elastic Load Balancing v2 at the edge (signing name {@code elasticloadbalancing}, query API 2015-12-01), each load
 * balancer served by a real HAProxy on 127.0.0.1 (see docs/emulator-fleet.md). Provides {@link LoadBalancerControl};
 * finds {@link InstanceControl} at request time, so it may start before or after EC2.
 */
public final class ElbComponent implements EmulatorComponent {
    private final String account;
    private ElbService service;
    private String endpoint;

    public ElbComponent(String account) {
        this.account = account;
    }

    @Override
    public void start(EmulatorContext context) throws Exception {
        java.nio.file.Path dir = context.workDirectory().resolve("elb");
        java.nio.file.Files.createDirectories(dir);
        service = new ElbService(context.clock(), context.seed() ^ 0x454c4256L, dir, account,
                () -> context.lookup(InstanceControl.class));
        context.register(new ElbActions(service).handler());
        context.provide(LoadBalancerControl.class, service);
        context.register(new ListenerLookupHandler(service));
        endpoint = context.endpoint().toString();
    }

    @Override
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("ELBv2:     " + endpoint + " (query API " + ElbActions.VERSION + "; each load balancer is an HAProxy"
                + " on 127.0.0.1)");
        if (service != null) {
            lines.addAll(service.describeLines());
        }
        return lines;
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
            service = null;
        }
    }
}
