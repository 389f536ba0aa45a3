package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.ErrorType;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.plane.AgentDownload;
import dev.spotkeeper.plane.PlaneSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instances run the agent's own jar: on the emulator the one next to the CLI, on AWS one downloaded at boot. */
class AgentJarCommandTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path dir;

    @Test
    void emulatedInstances_startTheAgentJar_notTheCli() throws Exception {
        String command = JarPath.agentCommand();

        assertThat(command).contains(" -jar ").endsWith("/" + JarPath.AGENT_JAR + "'")
                .doesNotContain("dev.spotkeeper.cli.Main");
        Run help = sh(command + " --help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: spotkeeper-agent", "agent").doesNotContain("demo", "emulator");
    }

    @Test
    void emulatorBackend_launchesInstancesWithTheAgentJar() throws Exception {
        EmulatorBackend backend = new EmulatorBackend(LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO)
                .services(true).start());
        try {
            assertThat(backend.config().agentCommand()).isEqualTo(JarPath.agentCommand());
        } finally {
            backend.close();
        }
    }

    @Test
    void awsInstances_downloadTheAgentJarFromTheConfiguredUrl_andRunItWithTheControllersArguments() throws Exception {
        Path agentJar = Path.of(JarPath.agentCommand().replaceAll(".* -jar '(.*)'$", "$1"));
        Path onInstance = dir.resolve("opt spotkeeper");

        String command = AgentDownload.command(agentJar.toUri().toString(), onInstance.toString(), JAVA);
        Run run = sh(command + " agent --help");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("Usage: spotkeeper-agent agent", "--workload");
        assertThat(onInstance.resolve(JarPath.AGENT_JAR)).hasSameBinaryContentAs(agentJar);
    }

    @Test
    void awsInstances_withoutAUrl_runTheAgentJarOfTheImage_andAWrongUrlIsTheUsersToFix() {
        assertThat(AgentDownload.forAws(Map.of())).isEqualTo("java -jar /opt/spotkeeper/spotkeeper-agent.jar");
        assertThat(AgentDownload.forAws(Map.of(AgentDownload.URL_VARIABLE, "s3://releases/spotkeeper-agent.jar")))
                .startsWith("/bin/sh -c ").endsWith(" 's3://releases/spotkeeper-agent.jar'")
                .contains("aws s3 cp").doesNotContain("spotkeeper.jar");
        assertThatThrownBy(() -> AgentDownload.forAws(Map.of(AgentDownload.URL_VARIABLE, "releases/agent.jar")))
                .isInstanceOf(SpotkeeperException.class)
                .hasMessageContaining("SPOTKEEPER_AGENT_JAR_URL must say where the agent jar is")
                .satisfies(e -> assertThat(((SpotkeeperException) e).code().type()).isEqualTo(ErrorType.USER));
    }

    @Test
    void onAws_theAgentJarNextToTheCli_isUploadedForInstances_unlessConfigurationSaysWhereTheyGetIt() {
        DeploymentOptions options = new DeploymentOptions();
        options.profile = "ops";
        options.region = "eu-west-1";

        PlaneSettings byDefault = AwsBackend.settings(options, Map.of("AWS_REGION", "us-west-2"));
        PlaneSettings byUrl = AwsBackend.settings(options, Map.of(AgentDownload.URL_VARIABLE, "s3://releases/a.jar"));

        assertThat(byDefault.region()).isEqualTo("eu-west-1");
        assertThat(byDefault.profile()).contains("ops");
        assertThat(byDefault.agent()).isEqualTo(new PlaneSettings.Agent.Upload(JarPath.agentJar().orElseThrow(),
                java.util.Optional.empty()));
        assertThat(byUrl.agent()).isEqualTo(new PlaneSettings.Agent.Download("s3://releases/a.jar"));
    }

    private record Run(int exit, String out, String err) {
    }

    private Run sh(String script) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not end within 60 s: " + script);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
