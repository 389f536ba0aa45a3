package dev.spotkeeper.plane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.ErrorType;
import dev.spotkeeper.core.SpotkeeperException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaneSettingsTest {
    @TempDir
    Path dir;

    @Test
    void withoutConfiguration_itIsAwsInUsEast1_throughTheStandardChain_withTheAgentOfTheImage() {
        PlaneSettings s = PlaneSettings.from(Map.of());

        assertThat(s.endpoint()).isEmpty();
        assertThat(s.region()).isEqualTo("us-east-1");
        assertThat(s.profile()).isEmpty();
        assertThat(s.keys()).isEmpty();
        assertThat(s.queueUrl()).isEmpty();
        assertThat(s.queueName()).isEqualTo("spotkeeper-events");
        assertThat(s.table()).isEqualTo("spotkeeper-state");
        assertThat(s.createMissing()).isTrue();
        assertThat(s.imageId()).startsWith("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023");
        assertThat(s.agent()).isInstanceOf(PlaneSettings.Agent.InImage.class);
        assertThat(s.market()).isEqualTo(PlaneSettings.MarketSource.AWS);
        assertThat(s.instanceProfile()).isEmpty();
    }

    @Test
    void theEnvironment_namesEverything_andTheSpotkeeperKeysWinOverTheSdkOnes() {
        PlaneSettings s = PlaneSettings.from(Map.ofEntries(
                Map.entry("AWS_REGION", "eu-west-1"), Map.entry("SPOTKEEPER_REGION", "ap-northeast-1"),
                Map.entry("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
                Map.entry("SPOTKEEPER_ENDPOINT_URL", "http://127.0.0.1:4566"),
                Map.entry("SPOTKEEPER_QUEUE_URL", "https://sqs.ap-northeast-1.amazonaws.com/123456789012/events"),
                Map.entry("SPOTKEEPER_TABLE", "plane-state"),
                Map.entry("SPOTKEEPER_AGENT_JAR_URL", "s3://releases/agent.jar"),
                Map.entry("SPOTKEEPER_RECEIVE_WAIT", "20s"), Map.entry("SPOTKEEPER_MARKET", "emulator"),
                Map.entry("SPOTKEEPER_MARKET_TTL", "2m"), Map.entry("HOME", "/root"),
                Map.entry("SPOTKEEPER_INSTANCE_PROFILE", "arn:aws:iam::123456789012:instance-profile/agent"),
                Map.entry("SPOTKEEPER_LAUNCH_TEMPLATE", "spotkeeper-agent")));

        assertThat(s.region()).isEqualTo("ap-northeast-1");
        assertThat(s.endpoint()).contains(URI.create("http://127.0.0.1:4566"));
        assertThat(s.queueUrl()).contains("https://sqs.ap-northeast-1.amazonaws.com/123456789012/events");
        assertThat(s.table()).isEqualTo("plane-state");
        assertThat(s.agent()).isEqualTo(new PlaneSettings.Agent.Download("s3://releases/agent.jar"));
        assertThat(s.receiveWait()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.market()).isEqualTo(PlaneSettings.MarketSource.EMULATOR);
        assertThat(s.marketEnvironment()).containsExactly(Map.entry("SPOTKEEPER_MARKET_TTL", "2m"));
        assertThat(s.instanceProfile()).contains("arn:aws:iam::123456789012:instance-profile/agent");
        assertThat(s.launchTemplate()).contains("spotkeeper-agent");
        assertThat(PlaneSettings.from(Map.of()).launchTemplate()).as("one template per workload").isEmpty();
    }

    @Test
    void aFile_givesTheSameKeys_andTheEnvironmentWinsOverIt() throws Exception {
        Path file = Files.writeString(dir.resolve("plane.env"), """
                # the plane in Tokyo
                SPOTKEEPER_REGION = ap-northeast-1
                SPOTKEEPER_TABLE=tokyo-state

                AWS_PROFILE=ops
                """);

        PlaneSettings s = PlaneSettings.from(Map.of("SPOTKEEPER_CONFIG", file.toString(), "SPOTKEEPER_TABLE", "other"));

        assertThat(s.region()).isEqualTo("ap-northeast-1");
        assertThat(s.profile()).contains("ops");
        assertThat(s.table()).isEqualTo("other");
    }

    @Test
    void aFilesMistakes_areRefusedWithTheFileTheLineAndTheFix() throws Exception {
        Path unknown = Files.writeString(dir.resolve("unknown.env"), "SPOTKEEPER_REGION=eu-west-1\nSPOTKEEPER_TABEL=x\n");
        Path secret = Files.writeString(dir.resolve("secret.env"), "AWS_SECRET_ACCESS_KEY=abc\n");
        Path noValue = Files.writeString(dir.resolve("novalue.env"), "SPOTKEEPER_REGION\n");

        assertThatThrownBy(() -> PlaneSettings.from(Map.of("SPOTKEEPER_CONFIG", unknown.toString())))
                .isInstanceOf(SpotkeeperException.class)
                .hasMessageContaining(unknown + ":2: unknown key SPOTKEEPER_TABEL; known keys: ")
                .hasMessageContaining("SPOTKEEPER_TABLE");
        assertThatThrownBy(() -> PlaneSettings.from(Map.of("SPOTKEEPER_CONFIG", secret.toString())))
                .hasMessageContaining(secret + ":1: AWS_SECRET_ACCESS_KEY does not belong in a file")
                .hasMessageNotContaining("abc");
        assertThatThrownBy(() -> PlaneSettings.from(Map.of("SPOTKEEPER_CONFIG", noValue.toString())))
                .hasMessageContaining(noValue + ":1: expected KEY=value");
        assertThatThrownBy(() -> PlaneSettings.from(Map.of("SPOTKEEPER_CONFIG", dir.resolve("none.env").toString())))
                .hasMessageContaining("SPOTKEEPER_CONFIG names " + dir.resolve("none.env") + ", which cannot be read");
    }

    @Test
    void badValues_areTheUsersToFix_andSayWhatToWrite() {
        assertUser(Map.of("SPOTKEEPER_REGION", "Tokyo"), "the region must be an AWS region like us-east-1, was 'Tokyo'");
        assertUser(Map.of("SPOTKEEPER_QUEUE_URL", "spotkeeper-events"), "SPOTKEEPER_QUEUE_URL must be an SQS queue URL");
        assertUser(Map.of("SPOTKEEPER_ACCOUNT", "12345"), "SPOTKEEPER_ACCOUNT must be the 12 digits");
        assertUser(Map.of("SPOTKEEPER_MARKET", "live"), "SPOTKEEPER_MARKET must be aws or emulator");
        assertUser(Map.of("SPOTKEEPER_RECEIVE_WAIT", "soon"), "SPOTKEEPER_RECEIVE_WAIT");
        assertUser(Map.of("SPOTKEEPER_TABLE", "a b"), "SPOTKEEPER_TABLE must be 3 to 80 letters");
        assertUser(Map.of("SPOTKEEPER_AGENT_JAR_URL", "releases/agent.jar"), "SPOTKEEPER_AGENT_JAR_URL must say where");
        assertUser(Map.of("SPOTKEEPER_AGENT_JAR", dir.resolve("missing.jar").toString()),
                "SPOTKEEPER_AGENT_JAR names no file");
        assertUser(Map.of("SPOTKEEPER_AGENT_COMMAND", "java -jar a.jar", "SPOTKEEPER_AGENT_JAR_URL", "s3://b/a.jar"),
                "say one way for instances to get the agent");
        assertUser(Map.of("SPOTKEEPER_MARKET", "emulator"), "the emulator's market needs the emulator's endpoint");
        assertUser(Map.of("SPOTKEEPER_CREATE_MISSING", "yes"), "SPOTKEEPER_CREATE_MISSING must be true or false");
        assertUser(Map.of("SPOTKEEPER_INSTANCE_PROFILE", "arn:aws:iam::1:role/x y"),
                "SPOTKEEPER_INSTANCE_PROFILE must be an instance profile's name or ARN");
        assertUser(Map.of("SPOTKEEPER_LAUNCH_TEMPLATE", "my template"),
                "SPOTKEEPER_LAUNCH_TEMPLATE must be a launch template's name");
    }

    @Test
    void theCredentialsOfTheEnvironmentGiven_areThePlanes_soTwoFunctionsInOneJvmSeeTheirOwn() {
        Map<String, String> common = Map.of("SPOTKEEPER_ENDPOINT_URL", "http://127.0.0.1:9",
                "SPOTKEEPER_QUEUE_URL", "http://127.0.0.1:9/000000000000/spotkeeper-events",
                "SPOTKEEPER_CREATE_MISSING", "false");
        Map<String, String> a = new java.util.HashMap<>(common);
        a.putAll(Map.of("AWS_ACCESS_KEY_ID", "ASIAFUNCTIONAAAAAAAAA", "AWS_SECRET_ACCESS_KEY", "secret-of-a",
                "AWS_SESSION_TOKEN", "token-of-a", "SPOTKEEPER_TABLE", "table-of-a"));
        Map<String, String> b = new java.util.HashMap<>(common);
        b.putAll(Map.of("AWS_ACCESS_KEY_ID", "ASIAFUNCTIONBBBBBBBBB", "AWS_SECRET_ACCESS_KEY", "secret-of-b",
                "SPOTKEEPER_TABLE", "table-of-b"));

        PlaneSettings sa = PlaneSettings.from(a);
        PlaneSettings sb = PlaneSettings.from(b);

        assertThat(sa.keys()).contains(new PlaneSettings.Keys("ASIAFUNCTIONAAAAAAAAA", "secret-of-a",
                Optional.of("token-of-a")));
        assertThat(sb.keys()).contains(new PlaneSettings.Keys("ASIAFUNCTIONBBBBBBBBB", "secret-of-b"));
        assertThat(sa.toString()).doesNotContain("secret-of-a").doesNotContain("token-of-a");
        // The SDK clients of each plane sign with its environment's credentials, not the process's.
        try (Plane pa = Plane.fromEnvironment(a, w -> { }); Plane pb = Plane.fromEnvironment(b, w -> { })) {
            var ca = pa.aws().client("us-east-1").credentials().resolveCredentials();
            var cb = pb.aws().client("us-east-1").credentials().resolveCredentials();
            assertThat(ca.accessKeyId()).isEqualTo("ASIAFUNCTIONAAAAAAAAA");
            assertThat(ca.secretAccessKey()).isEqualTo("secret-of-a");
            assertThat(ca).isInstanceOfSatisfying(software.amazon.awssdk.auth.credentials.AwsSessionCredentials.class,
                    c -> assertThat(c.sessionToken()).isEqualTo("token-of-a"));
            assertThat(cb.accessKeyId()).isEqualTo("ASIAFUNCTIONBBBBBBBBB");
            assertThat(pa.settings().table()).isEqualTo("table-of-a");
            assertThat(pb.settings().table()).isEqualTo("table-of-b");
            assertThat(pa.aws().endpointOverride()).contains(URI.create("http://127.0.0.1:9"));
        }
    }

    @Test
    void aProfileNamed_winsOverTheEnvironmentsKeys_andNoKeysMeansTheStandardChain() {
        PlaneSettings s = PlaneSettings.from(Map.of("AWS_PROFILE", "ops", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMIEXAMPLESECRET"));
        assertThat(s.profile()).contains("ops");
        assertThat(s.keys()).isEmpty();
        assertThat(PlaneSettings.from(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")).keys()).as("no secret").isEmpty();
    }

    @Test
    void aKeyPair_isNeverShown() {
        PlaneSettings s = PlaneSettings.emulator(URI.create("http://127.0.0.1:4566"),
                new PlaneSettings.Keys("AKIDEXAMPLE", "wJalrXUtnFEMIEXAMPLESECRET"), "us-east-1", "java -jar a.jar");

        assertThat(s.toString()).contains("AKIDEXAMPLE").doesNotContain("wJalrXUtnFEMIEXAMPLESECRET");
        assertThat(s.keys()).map(PlaneSettings.Keys::secretAccessKey).contains("wJalrXUtnFEMIEXAMPLESECRET");
        assertThat(s.market()).isEqualTo(PlaneSettings.MarketSource.EMULATOR);
        assertThat(s.agent()).isEqualTo(new PlaneSettings.Agent.Command("java -jar a.jar"));
        assertThat(PlaneSettings.aws("eu-west-1", Optional.of("ops"), new PlaneSettings.Agent.InImage()).profile())
                .contains("ops");
    }

    private static void assertUser(Map<String, String> env, String message) {
        assertThatThrownBy(() -> PlaneSettings.from(env)).as(env.toString()).isInstanceOf(SpotkeeperException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((SpotkeeperException) e).code().type()).isEqualTo(ErrorType.USER));
    }
}
