package dev.spotkeeper.emulator.services.fis;

import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import dev.spotkeeper.emulator.spi.InstanceControl;
import java.util.List;

/**
 * AWS Fault Injection Service at the edge (signing name {@code fis}), running
 * {@code aws:ec2:send-spot-instance-interruptions} against the emulated EC2 instances. It finds
 * {@link InstanceControl} at request time, so it may start before or after the EC2 component.
 */
public final class FisComponent implements EmulatorComponent {
    private final ServicesOptions options;
    private FisService service;
    private String endpoint;

    public FisComponent(ServicesOptions options) {
        this.options = options;
    }

    @Override
    public void start(EmulatorContext context) {
        service = new FisService(context.clock(), context.seed() ^ 0x46495300L,
                () -> context.lookup(InstanceControl.class));
        context.register(new FisHandler(service, new FisJson(options.region(), options.accountId())));
        endpoint = context.endpoint().toString();
    }

    @Override
    public List<String> describe() {
        return List.of("FIS:       " + endpoint + " (action " + TemplateParser.SPOT_INTERRUPTION + ")");
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
            service = null;
        }
    }
}
