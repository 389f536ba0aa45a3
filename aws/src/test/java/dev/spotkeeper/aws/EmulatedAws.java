package dev.spotkeeper.aws;

import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A local emulator on a free port with only the parts a test class needs, and {@link AwsPorts} wired to it the
 * way the CLI wires it: the endpoint override and the emulator's generated credentials.
 */
final class EmulatedAws implements AutoCloseable {
    static final String REGION = "us-east-1";

    final LocalEmulator emulator;
    final AwsSettings settings;
    final AwsPorts ports;

    private EmulatedAws(LocalEmulator emulator) {
        this.emulator = emulator;
        this.settings = AwsSettings.defaults().withEndpoint(emulator.endpoint())
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey())));
        this.ports = new AwsPorts(settings, REGION, Clock.systemUTC());
    }

    static EmulatedAws start(int vcpuQuota, EmulatorComponent... components) throws Exception {
        LocalEmulator.Builder b = LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO).vcpuQuota(vcpuQuota);
        for (EmulatorComponent c : components) {
            b.component(c);
        }
        return new EmulatedAws(b.start());
    }

    @Override
    public void close() {
        ports.close();
        emulator.close();
    }
}
