package dev.spotkeeper.emulator.services.fis;

import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import dev.spotkeeper.emulator.spi.InstanceControl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
        service = new FisService(context.clock(), context.seed() ^ 0x46495300L ^ startNonce(context),
                () -> context.lookup(InstanceControl.class));
        context.register(new FisHandler(service, new FisJson(options.region(), options.accountId())));
        endpoint = context.endpoint().toString();
    }

    /**
     * Something that differs at every start, so that a restarted emulator with the same seed hands out no id an
     * earlier one gave (ids end up in users' notes and scripts): the start time on the emulator's clock, and a count
     * of the starts kept in the work directory for a clock that stands still (tests).
     */
    static long startNonce(EmulatorContext context) {
        long starts = 0;
        Path counter = context.workDirectory().resolve("fis").resolve("starts");
        try {
            Files.createDirectories(counter.getParent());
            if (Files.exists(counter)) {
                starts = Long.parseLong(Files.readString(counter, StandardCharsets.UTF_8).trim());
            }
            starts++;
            Path tmp = counter.resolveSibling("starts.tmp");
            Files.writeString(tmp, starts + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, counter, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | NumberFormatException e) {
            // without the count the clock alone still tells starts apart
        }
        return context.clock().instant().toEpochMilli() * 0x9E3779B97F4A7C15L + starts * 0xC2B2AE3D27D4EB4FL;
    }

    @Override
    public List<String> describe() {
        return List.of("FIS:       " + endpoint + " (actions " + TemplateParser.SPOT_INTERRUPTION + ", "
                + TemplateParser.TERMINATE + ")");
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
            service = null;
        }
    }
}
