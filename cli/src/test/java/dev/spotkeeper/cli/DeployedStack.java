package dev.spotkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.cli.job.JarPath;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.plane.Plane;
import dev.spotkeeper.plane.PlaneSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The serverless plane's stack deployed by {@code spotkeeper deploy --endpoint-url} onto an embedded emulator whose
 * EventBridge runs {@code rate(...)} schedules {@code scheduleScale} times as often (the stack keeps
 * {@code rate(1 minute)}), with the deploy's outputs and a plane on the stack's table and queue that only submits and
 * reads: it runs no controller.
 */
final class DeployedStack implements AutoCloseable {
    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";

    final LocalEmulator emulator;
    final Map<String, String> outputs;
    final Plane plane;

    private DeployedStack(LocalEmulator emulator, Map<String, String> outputs, Plane plane) {
        this.emulator = emulator;
        this.outputs = outputs;
        this.plane = plane;
    }

    static DeployedStack start(Path dir, double scheduleScale) throws Exception {
        LocalEmulator emulator = LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO).services(true)
                .scheduleRateScale(scheduleScale).workDirectory(dir.resolve("emulator")).start();
        try {
            DeployCommand deploy = new DeployCommand();
            deploy.environment = Map.of("PATH", System.getenv().getOrDefault("PATH", ""),
                    "AWS_ACCESS_KEY_ID", emulator.credentials().accessKeyId(),
                    "AWS_SECRET_ACCESS_KEY", emulator.credentials().secretAccessKey());
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.configure(new CommandLine(deploy)).setOut(new PrintWriter(out))
                    .setErr(new PrintWriter(err))
                    .execute("--endpoint-url", emulator.endpoint().toString(), "--region", REGION,
                            "--function-jar", JarPath.functionJar().orElseThrow().toString(),
                            "--agent-jar", JarPath.agentJar().orElseThrow().toString());
            assertThat(code).as(err + "\n" + out).isZero();
            Map<String, String> outputs = new TreeMap<>();
            Matcher m = Pattern.compile("(?m)^  (\\w+) = (\\S+)$").matcher(out.toString());
            while (m.find()) {
                outputs.put(m.group(1), m.group(2));
            }
            Plane plane = Plane.open(PlaneSettings.emulator(emulator.endpoint(), new PlaneSettings.Keys(
                            emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey()),
                    REGION, "unused").withQueue(outputs.get("EventQueueUrl"))
                    .withTable(outputs.get("StateTableName")).withCreateMissing(false).withAccount(ACCOUNT),
                    Clock.systemUTC(), w -> { });
            return new DeployedStack(emulator, outputs, plane);
        } catch (Exception | AssertionError e) {
            emulator.close();
            throw e;
        }
    }

    /** Terminates what the functions left running, then stops the plane and the emulator. */
    @Override
    public void close() {
        try {
            for (CloudInstance c : plane.compute().find(REGION, Map.of("spotkeeper:managed", "true"))) {
                if (!c.isGone()) {
                    plane.compute().terminate(REGION, c.instanceId());
                }
            }
            plane.close();
        } finally {
            emulator.close();
        }
    }
}
