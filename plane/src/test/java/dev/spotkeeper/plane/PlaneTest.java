package dev.spotkeeper.plane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.checkpoint.StoredObject;
import dev.spotkeeper.emulator.LocalEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plane built from its settings against the embedded emulator, as the CLI, the local plane and functions build it. */
class PlaneTest {
    private static LocalEmulator emulator;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        emulator = LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO).services(true).start();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static PlaneSettings emulated(String table) {
        return PlaneSettings.emulator(emulator.endpoint(), new PlaneSettings.Keys(emulator.credentials().accessKeyId(),
                emulator.credentials().secretAccessKey()), "us-east-1", "java -jar /opt/agent.jar").withTable(table);
    }

    @Test
    void opening_createsTheQueueAndTheTable_andConfiguresTheControllerForThem() {
        List<String> warnings = new ArrayList<>();
        try (Plane plane = Plane.open(emulated("plane-a").withAccount("000000000000"), Clock.systemUTC(), warnings::add)) {
            assertThat(plane.queueUrl()).endsWith("/spotkeeper-events");
            assertThat(plane.store().workloads()).isEmpty();
            assertThat(plane.config().agentCommand()).isEqualTo("java -jar /opt/agent.jar");
            assertThat(plane.config().agentArgs()).isEqualTo("--queue-url " + plane.queueUrl());
            assertThat(plane.config().region()).isEqualTo("us-east-1");
            assertThat(plane.config().account()).isEqualTo("000000000000");
            assertThat(plane.config().imageId()).isEqualTo("ami-spotkeeper");
            assertThat(plane.config().receiveWait()).isEqualTo(Duration.ofSeconds(1));
            // The market is the emulator's, through the signal adapters: live, no fallback, nothing to warn of.
            assertThat(plane.market().current().pools()).isNotEmpty();
            assertThat(plane.market().fallback()).isEmpty();
            assertThat(warnings).isEmpty();
            assertThat(plane.controller()).isNotNull();

            // A second plane named by the first one's queue and table, creating nothing, sees the same store.
            try (Plane second = Plane.open(emulated("plane-a").withQueue(plane.queueUrl()).withCreateMissing(false),
                    Clock.systemUTC(), warnings::add)) {
                assertThat(second.queueUrl()).isEqualTo(plane.queueUrl());
                assertThat(second.store().workloads()).isEmpty();
            }
        }
    }

    @Test
    void aPlaneThatMayCreateNothing_mustBeToldItsQueue() {
        assertThatThrownBy(() -> Plane.open(emulated("plane-b").withCreateMissing(false), Clock.systemUTC(), w -> { }))
                .isInstanceOf(SpotkeeperException.class)
                .hasMessageContaining("the event queue is not named and may not be created: set SPOTKEEPER_QUEUE_URL");
    }

    @Test
    void anAgentJarToUpload_goesOncePerContent_toAPrivateBucket_andInstancesDownloadItFromThere() throws Exception {
        Path jar = Files.write(dir.resolve("spotkeeper-agent.jar"), "agent jar bytes".getBytes());
        Path other = Files.write(dir.resolve("other.jar"), "another agent jar".getBytes());
        PlaneSettings settings = emulated("plane-c").withAccount("000000000000")
                .withAgent(new PlaneSettings.Agent.Upload(jar, Optional.empty()));

        String url;
        try (Plane plane = Plane.open(settings, Clock.systemUTC(), w -> { })) {
            String command = plane.config().agentCommand();
            url = command.replaceAll(".* '(s3://[^']+)'$", "$1");
            assertThat(url).matches("s3://spotkeeper-artifacts-000000000000-us-east-1/agent/[0-9a-f]{64}/"
                    + "spotkeeper-agent\\.jar");
            assertThat(command).startsWith("/bin/sh -c ").contains("aws s3 cp").contains("/opt/spotkeeper/spotkeeper-agent.jar");
            ObjectStore bucket = plane.ports().objectStore("spotkeeper-artifacts-000000000000-us-east-1", "");
            String key = url.substring(url.indexOf("/agent/") + 1);
            byte[] expected = Files.readAllBytes(jar);
            assertThat(bucket.getBytes(key)).hasValueSatisfying(b -> assertThat(b).isEqualTo(expected));
        }
        try (Plane again = Plane.open(settings, Clock.systemUTC(), w -> { });
             Plane changed = Plane.open(settings.withAgent(new PlaneSettings.Agent.Upload(other,
                     Optional.of("spotkeeper-artifacts-000000000000-us-east-1"))), Clock.systemUTC(), w -> { })) {
            assertThat(again.config().agentCommand()).endsWith("'" + url + "'");
            assertThat(changed.config().agentCommand()).doesNotContain(url);
            List<StoredObject> stored = again.ports().objectStore("spotkeeper-artifacts-000000000000-us-east-1", "")
                    .list("agent/");
            assertThat(stored).hasSize(2);
        }
    }
}
