package dev.spotkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.services.lambda.LambdaFunctions;
import dev.spotkeeper.plane.Plane;
import dev.spotkeeper.plane.PlaneSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real function jar (module lambda, as the stack deploys it) run by the emulator's Lambda runtime, where all
 * functions share one JVM: each function's plane comes from its own environment map (its table, and the credentials
 * and endpoint the runtime gives it), never from the process's.
 */
class FunctionJarOnEmulatorTest {
    static final Path FUNCTION_JAR = Path.of("target", "spotkeeper-function.jar");
    private static final String ACCOUNT = "000000000000";

    @TempDir
    static Path dir;

    private static LocalEmulator emulator;
    private static Plane setup;

    @BeforeAll
    static void start() throws Exception {
        emulator = LocalEmulator.builder().port(0).seed(21).bootDelay(Duration.ZERO).traces(false).services(true)
                .workDirectory(dir.resolve("emulator")).start();
        setup = Plane.open(PlaneSettings.emulator(emulator.endpoint(), new PlaneSettings.Keys(
                emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey()), "us-east-1",
                "sleep 600 #").withTable("table-of-a").withAccount(ACCOUNT), Clock.systemUTC(), w -> { });
    }

    @AfterAll
    static void stop() {
        if (setup != null) {
            setup.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    /** What a stack gives its functions, with the emulator's market and agent; no endpoint, no credential. */
    private static Map<String, String> environment(String table) {
        return Map.of("SPOTKEEPER_QUEUE_URL", setup.queueUrl(), "SPOTKEEPER_TABLE", table,
                "SPOTKEEPER_CREATE_MISSING", "false", "SPOTKEEPER_ACCOUNT", ACCOUNT, "SPOTKEEPER_MARKET", "emulator",
                "SPOTKEEPER_IMAGE_ID", "ami-spotkeeper", "SPOTKEEPER_AGENT_COMMAND", "sleep 600 #");
    }

    @Test
    void twoFunctionsOfTheJar_inOneJvm_eachRunOnThePlaneOfItsOwnEnvironment() throws Exception {
        assertThat(FUNCTION_JAR).as("built by mvn -pl cli -am verify").isRegularFile();
        byte[] code = Files.readAllBytes(FUNCTION_JAR);
        LambdaFunctions functions = emulator.lookup(LambdaFunctions.class).orElseThrow();
        functions.create("reconcile-a", "java21", "dev.spotkeeper.lambda.ScheduleHandler::handleRequest", code, 60,
                1024, environment("table-of-a"));
        functions.create("reconcile-b", "java21", "dev.spotkeeper.lambda.ScheduleHandler::handleRequest", code, 60,
                1024, environment("table-of-b"));
        String tick = "{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\",\"detail\":{}}";

        LambdaFunctions.Result a = functions.invoke("reconcile-a", tick);
        LambdaFunctions.Result b = functions.invoke("reconcile-b", tick);

        // A reaches the emulator with the runtime's credentials and endpoint, and its table is there: a clean pass.
        assertThat(a.failed()).as(a.payload()).isFalse();
        assertThat(a.payload()).isEqualTo("\"reconcile pass: 0 failed steps\"");
        // B's table does not exist: its pass fails, on its own table, while A's did not.
        assertThat(b.failed() || !b.payload().contains(" 0 failed steps")).as(b.payload()).isTrue();
        assertThat(functions.invoke("reconcile-a", tick).payload()).isEqualTo("\"reconcile pass: 0 failed steps\"");
    }
}
