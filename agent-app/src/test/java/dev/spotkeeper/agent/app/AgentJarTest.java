package dev.spotkeeper.agent.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The packaged agent jar (run after {@code package}): small, only the agent, and it starts on its own. */
class AgentJarTest {
    private static final Path JAR = Path.of(System.getProperty("agent.jar", "target/spotkeeper-agent-app-0.1.0-SNAPSHOT-app.jar"));
    private static final long MAX_BYTES = Long.getLong("agent.jar.max.bytes", 40L * 1024 * 1024);

    @Test
    void jar_isUnder40MegabytesAsBuilt() throws IOException {
        assertThat(JAR).isRegularFile();
        assertThat(Files.size(JAR)).as("size of %s", JAR).isLessThan(MAX_BYTES).isLessThan(40L * 1024 * 1024);
    }

    @Test
    void jar_holdsTheAgent_andNothingOfTheEmulatorTheEmbeddedServersOrTheCli() throws IOException {
        List<String> names = entries();

        assertThat(names).contains("dev/spotkeeper/agent/app/AgentApp.class", "dev/spotkeeper/agent/AgentMain.class",
                "dev/spotkeeper/core/protocol/ReportCodec.class",
                "software/amazon/awssdk/services/s3/S3Client.class",
                "software/amazon/awssdk/services/sqs/SqsClient.class");
        assertThat(names).noneMatch(n -> n.startsWith("dev/spotkeeper/emulator/")
                || n.startsWith("dev/spotkeeper/cli/")
                || n.startsWith("dev/spotkeeper/controller/")
                || n.startsWith("dev/spotkeeper/aws/")
                || n.startsWith("dev/spotkeeper/sim/")
                || n.startsWith("org/gaul/")
                || n.startsWith("org/elasticmq/")
                || n.startsWith("com/amazonaws/services/dynamodbv2/")
                || n.startsWith("software/amazon/awssdk/services/ec2/")
                || n.startsWith("software/amazon/awssdk/services/dynamodb/")
                || n.startsWith("software/amazon/awssdk/services/fis/"));
    }

    @Test
    void jar_runsTheAgentCommand_andRefusesAWrongWorkloadWithExitTwoAndNoStackTrace() throws Exception {
        Run help = run("agent", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--workload", "--agent-spec", "--checkpoints");

        Run wrong = run("agent", "--workload", "Not_A_Name", "--no-imds");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("error: --workload (or SPOTKEEPER_WORKLOAD) must be the workload's name")
                .doesNotContain("\tat ");
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toAbsolutePath().toString()));
        Collections.addAll(command, args);
        Path out = Files.createTempFile("agent-jar-out", ".txt");
        Path err = Files.createTempFile("agent-jar-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("SPOTKEEPER_EVENTS_QUEUE_URL");
            pb.environment().remove("SPOTKEEPER_WORKLOAD");
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the agent jar did not end within 60 s: " + command);
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static List<String> entries() throws IOException {
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            return zip.stream().map(ZipEntry::getName).toList();
        }
    }
}
