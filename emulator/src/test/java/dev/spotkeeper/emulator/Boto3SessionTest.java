package dev.spotkeeper.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second AWS client beside the AWS CLI (AwsCliSessionTest): a boto3 script (Debian's python3-boto3, run with
 * /usr/bin/python3) that lists S3 objects, picks images by owner, runs the legacy spot request flow and reads the
 * instance's state changes from the event queue, printing what it saw as JSON lines, which this test checks
 * against what AWS answers.
 */
class Boto3SessionTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    static Path work;

    private static LocalEmulator emulator;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "/usr/bin/python3 is not installed (Debian package python3)");
        assumeTrue(new ProcessBuilder(PYTHON.toString(), "-c", "import boto3").start().waitFor() == 0,
                "boto3 is not installed for /usr/bin/python3 (Debian package python3-boto3)");
        emulator = LocalEmulator.builder().port(0).seed(5).bootDelay(Duration.ZERO)
                .workDirectory(work.resolve("emulator")).services(true).start();
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void boto3Session_seesWhatAwsWouldShow() throws Exception {
        Map<String, Map<String, Object>> steps = run();

        assertThat(steps).containsKey("done");
        assertThat(steps.get("list")).containsEntry("key_count", 2L)
                .containsEntry("keys", List.of(List.of("ckpt/manifest.json", 2L), List.of("ckpt/run-1/model.bin", 7L)));
        assertThat(steps.get("list-paged")).containsEntry("keys", List.of("ckpt/manifest.json", "ckpt/run-1/model.bin"));
        assertThat(steps.get("list-v1")).containsEntry("keys", List.of("ckpt/manifest.json", "ckpt/run-1/model.bin"));
        assertThat(steps.get("content-type")).containsEntry("head", "binary/octet-stream")
                .containsEntry("get", "binary/octet-stream");

        assertThat((List<?>) steps.get("images-amazon").get("names")).isNotEmpty()
                .noneMatch(n -> n.toString().startsWith("ubuntu/"));
        assertThat((List<?>) steps.get("images-canonical").get("names")).isNotEmpty()
                .allMatch(n -> n.toString().startsWith("ubuntu/"));
        assertThat((List<?>) steps.get("images-self").get("names")).isEmpty();

        assertThat(steps.get("requested")).containsEntry("state", "open").containsEntry("code", "pending-evaluation");
        assertThat((String) steps.get("requested").get("id")).startsWith("sir-");
        String instance = (String) steps.get("fulfilled").get("instance");
        assertThat(steps.get("fulfilled")).containsEntry("state", "active").containsEntry("code", "fulfilled")
                .containsEntry("tags", Map.of("team", "ml"));
        assertThat(instance).startsWith("i-");
        assertThat(steps.get("instance")).containsEntry("lifecycle", "spot")
                .containsEntry("request", steps.get("requested").get("id"));
        assertThat(steps.get("filtered")).containsEntry("ids", List.of(steps.get("requested").get("id")));
        assertThat(steps.get("cancelled")).containsEntry("state", "cancelled")
                .containsEntry("code", "request-canceled-and-instance-running").containsEntry("instance_state", "running");
        assertThat(steps.get("too-low")).containsEntry("state", "open").containsEntry("code", "price-too-low")
                .containsEntry("after_cancel", "cancelled").containsEntry("after_cancel_code", "canceled-before-fulfillment")
                .containsEntry("instance", null);

        assertThat(steps.get("events")).containsEntry("states", List.of("pending", "running", "shutting-down", "terminated"));
    }

    /** Runs the script; every line it printed, by step. */
    private static Map<String, Map<String, Object>> run() throws IOException, InterruptedException {
        Path script = work.resolve("boto3_session.py");
        try (InputStream in = Boto3SessionTest.class.getResourceAsStream("boto3_session.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path empty = Files.createFile(work.resolve("aws-config"));
        ProcessBuilder builder = new ProcessBuilder(PYTHON.toString(), script.toString()).directory(work.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("SPOTKEEPER_TEST_ENDPOINT", emulator.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", emulator.credentials().accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", emulator.credentials().secretAccessKey());
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", empty.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", empty.toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Path out = work.resolve("boto3.out");
        Path err = work.resolve("boto3.err");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the boto3 session did not finish within 180 s; it printed:\n" + Files.readString(out));
        }
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("boto3 session exit; stdout:\n%s\nstderr:\n%s", printed,
                Files.readString(err, StandardCharsets.UTF_8)).isZero();
        Map<String, Map<String, Object>> steps = new LinkedHashMap<>();
        for (String line : printed.lines().toList()) {
            Map<String, Object> step = Json.parseObject(line);
            steps.put((String) step.get("step"), step);
        }
        return steps;
    }
}
