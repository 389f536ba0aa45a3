package dev.spotkeeper.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.agent.imds.LoopbackImds;
import dev.spotkeeper.agent.s3.S3Location;
import dev.spotkeeper.core.event.EventParser;
import dev.spotkeeper.core.event.ParsedEvent;
import dev.spotkeeper.core.event.SpotEvent;
import dev.spotkeeper.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent that cannot start says why, to the console and the controller, and ends its instance. */
class AgentBootTest {
    private final LoopbackImds imds = new LoopbackImds(MutableClock.at("2026-03-01T10:00:00Z"));
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final List<String> poweredOff = new CopyOnWriteArrayList<>();

    @TempDir
    Path work;

    AgentBootTest() throws Exception {
    }

    @AfterEach
    void stop() {
        imds.close();
    }

    private Map<String, String> env() {
        return Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint().toString(), "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:9", "AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "y");
    }

    private SpotEvent.AgentReport report(int i) {
        return (SpotEvent.AgentReport) ((ParsedEvent.Event) EventParser.parse(sent.get(i))).event();
    }

    @Test
    void failureAtBoot_onAnInstance_isReportedWithTheReason_andEndsTheInstance() {
        AgentMain.failedAtBoot("train", Optional.of("https://sqs.example/q"), true, env(), Clock.systemUTC(),
                "no checkpoint location: give --checkpoints s3://bucket/prefix", poweredOff::add, url -> sent::add);

        assertThat(sent).hasSize(1);
        assertThat(report(0).report()).isEqualTo("failed");
        assertThat(report(0).instanceId()).isEqualTo("i-0123456789abcdef0");
        assertThat(report(0).attributes()).containsEntry("reason", "no checkpoint location: give --checkpoints"
                + " s3://bucket/prefix").containsEntry("workload", "train");
        assertThat(poweredOff).singleElement().satisfies(why -> assertThat(why).contains("i-0123456789abcdef0"));
    }

    @Test
    void failureAtBoot_outsideEc2_endsNothing() {
        AgentMain.failedAtBoot("train", Optional.of("https://sqs.example/q"), false, env(), Clock.systemUTC(),
                "bad settings", poweredOff::add, url -> sent::add);

        assertThat(sent).isEmpty();
        assertThat(poweredOff).isEmpty();
    }

    @Test
    void s3OutOfReachAtBoot_endsTheInstance_andTheErrorStillReachesTheCommand() {
        AgentSettings s = new AgentSettings("train", work, work.resolve("checkpoint"), work.resolve("results"),
                Optional.of(S3Location.parse("s3://ckpt/train/")), Optional.empty(), Optional.empty(), "", "sleep 600",
                "", "", Duration.ZERO, Optional.empty(), Optional.empty(), true);

        assertThatThrownBy(() -> AgentMain.run(s, env(), Clock.systemUTC(), poweredOff::add))
                .isInstanceOf(RuntimeException.class);

        assertThat(poweredOff).hasSize(1);
        assertThat(work.resolve("pid")).doesNotExist();
    }

    /** A stand-in {@code shutdown} in {@code dir} that writes its arguments to {@code dir/called}. */
    private Path standIn(Path dir) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        Path script = dir.resolve("shutdown");
        java.nio.file.Files.writeString(script, "#!/bin/sh\necho \"$@\" > \"$(dirname \"$0\")/called\"\n");
        script.toFile().setExecutable(true);
        return dir.resolve("called");
    }

    @Test
    void powerOff_runsTheShutdownTheEmulatorPutsFirstOnPath() throws Exception {
        Path called = standIn(work.resolve("instance-bin"));
        Map<String, String> env = Map.of("PATH", work.resolve("instance-bin") + ":/usr/bin",
                "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1234");

        PowerOff.shutdown(env, List.of("/usr/sbin")).now("test");

        assertThat(java.nio.file.Files.readString(called).trim()).isEqualTo("-h now");
    }

    @Test
    void powerOff_onTheEmulator_neverRunsTheHostsOwnShutdown() throws Exception {
        Path hostBin = work.resolve("host-sbin");
        Path called = standIn(hostBin);
        Map<String, String> env = Map.of("PATH", hostBin.toString(),
                "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1234");

        PowerOff.shutdown(env, List.of(hostBin.toString())).now("test");

        assertThat(called).as("the host's shutdown was not run").doesNotExist();
    }
}
