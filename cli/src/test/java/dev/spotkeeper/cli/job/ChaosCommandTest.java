package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.cli.CliRun;
import dev.spotkeeper.cli.local.Connection;
import dev.spotkeeper.cli.local.LocalHome;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code spotkeeper chaos} end to end on the local control plane, as a user rehearses it: a short job submitted
 * without a checkpoint bucket (it gets the plane's own), two interruptions through the FIS API, each handled (the
 * replacement restored from the evacuated checkpoint) before the next, one line each.
 */
class ChaosCommandTest {
    /** Counts steps, saves the count on SIGUSR1 and confirms, as a training loop would. */
    private static final String SPEC = """
            name: rehearsed
            requirements:
              regions: [us-east-1]
              types: [m5.large, c5.large, m5.xlarge]
            placement:
              strategy: lowest-price
            maxDuration: 10m
            run: >-
              d="$SPOTKEEPER_CHECKPOINT_DIR"; mkdir -p "$d"; i=$(cat "$d/step" 2>/dev/null || echo 0);
              trap 'echo $i > "$d/step.tmp"; mv "$d/step.tmp" "$d/step"; touch "$d/.spotkeeper-ready"' USR1;
              echo "from step $i"; while :; do i=$((i + 1)); sleep 0.2; done
            checkpoint:
              dir: checkpoint
              signal: SIGUSR1
              syncInterval: 2s
            """;

    @TempDir
    Path dir;

    private PlaneHome plane;
    private LocalHome home;

    @BeforeEach
    void home() {
        Assumptions.assumeTrue(JobBackends.isLocal(new DeploymentOptions()), "AWS credentials in the environment");
        plane = PlaneHome.in(dir.resolve("home"));
        home = plane.home();
    }

    @AfterEach
    void stopWhateverRuns() {
        // Even when the test failed half-way: no plane, and nothing it started, outlives the test.
        if (plane != null) {
            plane.close();
        }
    }

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    @Test
    void chaos_twoInterruptionsOnTheLocalPlane_eachHandledBeforeTheNext_oneLineEach() throws IOException {
        Path spec = dir.resolve("rehearsed.yaml");
        Files.writeString(spec, SPEC);
        assertThat(cli("local", "start", "--interval", "0.2").exitCode()).isZero();
        CliRun submitted = cli("run", spec.toString(), "--detach");
        assertThat(submitted.exitCode()).as(submitted.all()).isZero();
        assertThat(submitted.out()).contains("checkpoints go to s3://spotkeeper-checkpoints/rehearsed/");

        CliRun chaos = cli("chaos", "rehearsed", "--interruptions", "2");

        assertThat(chaos.exitCode()).as(chaos.all()).isZero();
        assertThat(chaos.out()).contains("created FIS experiment template EXT")
                .contains("aws:ec2:send-spot-instance-interruptions")
                .contains("rehearsed came through 2 interruption(s); it is running");
        List<String> lines = chaos.out().lines().filter(l -> l.startsWith("interruption ")).toList();
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            assertThat(line).matches("interruption \\d: i-\\w+ \\(us-east-1/us-east-1\\w/\\w+\\.\\w+\\): warning \\+[0-9.]+ s"
                    + " → replacement i-\\w+ requested \\+[0-9.]+ s → restored \\+[0-9.]+ s \\(\\S+\\); [0-9.]+ s of work lost");
        }
        String firstReplacement = lines.get(0).replaceAll(".*replacement (i-\\w+) .*", "$1");
        assertThat(lines.get(1)).startsWith("interruption 2: " + firstReplacement + " (");
        assertThat(Files.readString(home.journalFile())).contains("\"kind\":\"AT_RISK\"").contains("\"kind\":\"RESTORED\"");
        Connection c = Connection.read(home.connectionFile()).orElseThrow();
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(c.endpoint())).region(Region.US_EAST_1)
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKeyId(),
                        c.secretAccessKey()))).build()) {
            assertThat(s3.listObjectsV2(b -> b.bucket("spotkeeper-checkpoints").prefix("rehearsed/")).contents())
                    .isNotEmpty();
        }
        assertThat(cli("cancel", "rehearsed").exitCode()).isZero();
    }
}
