package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.aws.AwsMarket;
import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.cli.Main;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.plane.PlaneSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} on the AWS deployment when live market signals cannot be had: it says so once, naming the fallback
 * and why, and goes on placing on the shipped snapshot. The queue and the table are the emulator's; the market's
 * EC2 endpoint and advisor feed are a port on 127.0.0.1 that refuses every connection.
 */
class AwsMarketFallbackTest {
    @TempDir
    Path dir;
    private LocalEmulator emulator;

    @AfterEach
    void stop() {
        JobBackends.uninstall();
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void run_withNoLiveSignals_saysSoOnce_andNamesTheFallback() throws Exception {
        emulator = LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO).services(true).start();
        PlaneSettings plane = PlaneSettings.aws("us-east-1", Optional.empty(), new PlaneSettings.Agent.InImage())
                .withEndpoint(emulator.endpoint(), new PlaneSettings.Keys(emulator.credentials().accessKeyId(),
                        emulator.credentials().secretAccessKey()));
        AwsSettings ports = AwsSettings.defaults().withEndpoint(emulator.endpoint())
                .withStaticKeys(emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey());
        URI refusing = refusingEndpoint();
        AwsMarket.Config market = AwsMarket.Config.aws(ports.withEndpoint(refusing), List.of("us-east-1"))
                .withAdvisorUrl(refusing.resolve("/spot-advisor-data.json"));
        AwsBackend backend = new AwsBackend(plane, market);
        JobBackends.install(options -> backend);
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, """
                name: offline
                requirements:
                  regions: [us-east-1]
                  types: [m5.large, c5.large]
                buckets:
                  checkpoints: s3://spotkeeper-offline/checkpoints
                run: sleep 600
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("run", file.toString(), "--interval", "0.2", "--timeout", "PT3S");

        assertThat(out.toString()).as(err.toString()).contains("submitted offline to AWS");
        Matcher warning = Pattern.compile("live market signals unavailable").matcher(err.toString());
        int warnings = 0;
        while (warning.find()) {
            warnings++;
        }
        assertThat(warnings).as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).contains("the shipped SpotLake snapshot of 2022-07-12")
                .contains("spot prices (us-east-1)").contains(refusing.toString());
        assertThat(backend.market().fallback()).isPresent();
        assertThat(code).as(out + "\n" + err).isZero();
    }

    /** A loopback port nothing listens on: connections to it are refused at once. */
    private static URI refusingEndpoint() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return URI.create("http://127.0.0.1:" + port);
    }
}
