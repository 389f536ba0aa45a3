package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.cli.Main;
import dev.spotkeeper.cli.local.Connection;
import dev.spotkeeper.cli.local.LocalHome;
import dev.spotkeeper.cli.local.PlaneClient;
import dev.spotkeeper.cli.local.PlaneControl;
import dev.spotkeeper.cli.local.PlaneLock;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short job commands reach a running local control plane through its own endpoint: a fresh JVM runs them
 * without building a single AWS SDK client (the test JVM plays the plane, with an in-memory cloud and its resident
 * controller), also with the plane's endpoint and keys exported for the AWS CLI. The endpoint runs nothing for
 * anyone without the plane's secret, and only the commands it is meant to run.
 */
class PlaneControlTest {
    @TempDir
    Path dir;

    private InMemoryBackend backend;
    private PlaneControl control;
    private LocalHome home;
    private Connection connection;
    private PlaneLock lock;

    @BeforeEach
    void plane() throws IOException {
        backend = new InMemoryBackend(false, dir.resolve("events.log"));
        JobBackends.install(o -> backend);
        backend.residentController().start(Duration.ofMillis(20));
        control = PlaneControl.start(new Main(), new SecureRandom());
        home = new LocalHome(dir.resolve("home"));
        home.ensure();
        // This process holds the home's lock as a plane does, and stands for it.
        lock = PlaneLock.tryTake(home).orElseThrow();
        ProcessHandle self = ProcessHandle.current();
        // The emulator's endpoint is a closed port: a command that went the long way, through the SDK, would fail.
        connection = new Connection("http://127.0.0.1:9", "us-east-1", "AKIAPLANE0000TEST", "generated-"
                + System.nanoTime(), "http://127.0.0.1:9/000000000000/q", "t", self.pid(),
                self.info().startInstant().orElseThrow(), Instant.parse("2026-01-01T00:00:00Z"))
                .withControl(control.endpoint(), control.token());
        connection.write(home.connectionFile());
        Path spec = dir.resolve("train.yaml");
        Files.writeString(spec, "name: train\nrun: python train.py\ncheckpoint:\n  dir: /tmp/ckpt\n");
        assertThat(new Main().run(List.of("run", spec.toString(), "--detach"), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()))).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> !backend.compute.alive().isEmpty());
    }

    @AfterEach
    void stop() {
        if (control != null) {
            control.close();
        }
        if (lock != null) {
            lock.close();
        }
        JobBackends.uninstall();
    }

    private record Child(int code, String out, String err, List<String> classes) {
    }

    /** {@code spotkeeper ARGS} in a JVM of its own, with the environment given (and no other AWS setting). */
    private Child spotkeeper(Map<String, String> environment, String... args) throws Exception {
        Path classes = dir.resolve("classes-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xlog:class+load:file=" + classes, "-cp", System.getProperty("java.class.path"),
                "-D" + LocalHome.PROPERTY + "=" + home.dir(), "dev.spotkeeper.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().putAll(environment);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Child(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")),
                Files.readAllLines(classes, StandardCharsets.UTF_8));
    }

    private static List<String> sdkClasses(Child c) {
        return c.classes().stream().filter(l -> l.contains("software.amazon.awssdk")).toList();
    }

    @Test
    void statusListLogsCost_fromAFreshJvm_loadNoAwsSdkClass() throws Exception {
        Map<String, String> expected = Map.of("status train", "workload:    train", "list", "train", "logs train",
                "==> i-", "cost train", "cost of train");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Child c = spotkeeper(Map.of(), e.getKey().split(" "));

            assertThat(c.code()).as(e.getKey() + ": " + c.err()).isZero();
            assertThat(sdkClasses(c)).as(e.getKey()).isEmpty();
            assertThat(c.out()).as(e.getKey()).contains(e.getValue());
        }
        assertThat(spotkeeper(Map.of(), "status", "train").out()).contains("status:      running")
                .contains("us-east-1/us-east-1a/m5.large");
    }

    @Test
    void endpoint_fromAFreshJvm_isAnsweredByThePlane_refusingAJobWithExit2() throws Exception {
        Child c = spotkeeper(Map.of(), "endpoint", "train", "--json");

        assertThat(c.code()).as(c.err()).isEqualTo(2);
        assertThat(c.err()).contains("'train' is a job, not a service");
        assertThat(sdkClasses(c)).isEmpty();
    }

    @Test
    void cancel_fromAFreshJvm_isDoneByThePlane_andCountsWhatItTerminated() throws Exception {
        Child c = spotkeeper(Map.of(), "cancel", "train");

        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("cancelled train; 1 instance(s) terminated");
        assertThat(sdkClasses(c)).isEmpty();
        assertThat(backend.compute.alive()).isEmpty();
    }

    @Test
    void thePlanesEndpointAndKeysExported_forTheAwsCli_stillReachThePlane() throws Exception {
        Child c = spotkeeper(Map.of("AWS_ENDPOINT_URL", "http://localhost:9", "AWS_ACCESS_KEY_ID",
                connection.accessKeyId(), "AWS_SECRET_ACCESS_KEY", connection.secretAccessKey(),
                "AWS_DEFAULT_REGION", "us-east-1"), "status", "train");

        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("status:      running");
        assertThat(sdkClasses(c)).isEmpty();
    }

    @Test
    void anUnknownWorkload_isRefusedByThePlane_withItsErrorAndExitCode() throws Exception {
        Child c = spotkeeper(Map.of(), "status", "trian");

        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).startsWith("error: no workload named 'trian'").contains("train");
    }

    @Test
    void endpoint_refusesAnotherSecret_andCommandsItDoesNotRunForOthers() {
        Connection forged = connection.withControl(control.endpoint(), "not-the-token");
        StringWriter out = new StringWriter();
        PrintWriter o = new PrintWriter(out);

        assertThatThrownBy(() -> PlaneClient.run(forged, List.of("cancel", "train"), o, o))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("HTTP 401");
        assertThatThrownBy(() -> PlaneClient.run(connection, List.of("local", "reset", "--yes"), o, o))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("HTTP 400");
        assertThat(backend.compute.alive()).isNotEmpty();
        assertThat(out.toString()).isEmpty();
    }
}
