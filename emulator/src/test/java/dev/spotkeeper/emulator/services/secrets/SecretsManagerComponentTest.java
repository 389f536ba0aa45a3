package dev.spotkeeper.emulator.services.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.AwsCli;
import dev.spotkeeper.emulator.Emulator;
import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** The emulator's Secrets Manager driven by the AWS SDK for Java v2 and by the AWS CLI v2. */
class SecretsManagerComponentTest {
    private static final String REGION = "ap-northeast-1";

    @TempDir
    Path work;
    private MutableClock clock;
    private Emulator emulator;
    private SecretsManagerClient sm;
    private final String accessKey = "AKID" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    private final String secretKey = UUID.randomUUID().toString();

    @BeforeEach
    void start() throws Exception {
        clock = MutableClock.at("2026-03-01T12:00:00Z");
        emulator = startEmulator();
        sm = SecretsManagerClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private Emulator startEmulator() throws Exception {
        return Emulator.start(0, clock, 3, 1.0, work, List.of(new SecretsManagerComponent(
                ServicesOptions.defaults().withRegion(REGION).withAccountId("210987654321"))));
    }

    @AfterEach
    void stop() {
        sm.close();
        emulator.close();
    }

    @Test
    void createThenGet_givesTheValueBack_withAnArnOfTheAccountAndRegion() {
        CreateSecretResponse created = sm.createSecret(r -> r.name("spotkeeper/appdb/root").secretString("v-1")
                .description("root of appdb"));

        GetSecretValueResponse got = sm.getSecretValue(r -> r.secretId("spotkeeper/appdb/root"));

        assertThat(created.arn()).matches("arn:aws:secretsmanager:ap-northeast-1:210987654321:secret:"
                + "spotkeeper/appdb/root-[A-Za-z0-9]{6}");
        assertThat(got.secretString()).isEqualTo("v-1");
        assertThat(got.versionId()).isEqualTo(created.versionId());
        assertThat(got.versionStages()).containsExactly("AWSCURRENT");
        assertThat(got.createdDate()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
        assertThat(sm.getSecretValue(r -> r.secretId(created.arn())).secretString()).isEqualTo("v-1");
        assertThat(emulator.describe()).anyMatch(l -> l.startsWith("Secrets Manager: " + emulator.endpoint()));
    }

    @Test
    void putSecretValue_makesANewCurrentVersion_andKeepsThePreviousOne() {
        CreateSecretResponse created = sm.createSecret(r -> r.name("app").secretString("one"));
        clock.advance(Duration.ofMinutes(5));

        PutSecretValueResponse put = sm.putSecretValue(r -> r.secretId("app").secretString("two"));

        assertThat(put.versionId()).isNotEqualTo(created.versionId());
        assertThat(sm.getSecretValue(r -> r.secretId("app")).secretString()).isEqualTo("two");
        assertThat(sm.getSecretValue(r -> r.secretId("app").versionStage("AWSPREVIOUS")).secretString())
                .isEqualTo("one");
        DescribeSecretResponse d = sm.describeSecret(r -> r.secretId("app"));
        assertThat(d.versionIdsToStages()).containsEntry(created.versionId(), List.of("AWSPREVIOUS"))
                .containsEntry(put.versionId(), List.of("AWSCURRENT"));
        assertThat(d.lastChangedDate()).isEqualTo(Instant.parse("2026-03-01T12:05:00Z"));
        assertThat(d.createdDate()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
    }

    @Test
    void binarySecrets_comeBackAsTheyWent() {
        sm.createSecret(r -> r.name("bin").secretBinary(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 0xff})));

        assertThat(sm.getSecretValue(r -> r.secretId("bin")).secretBinary().asByteArray())
                .containsExactly(0, 1, 0xff);
    }

    @Test
    void create_anExistingName_isRefused_butTheSameRequestRetriedIsAnsweredAsBefore() {
        String token = UUID.randomUUID().toString();
        CreateSecretResponse first = sm.createSecret(r -> r.name("app").secretString("one").clientRequestToken(token));

        CreateSecretResponse retried = sm.createSecret(r -> r.name("app").secretString("one").clientRequestToken(token));

        assertThat(retried.versionId()).isEqualTo(first.versionId()).isEqualTo(token);
        assertThat(retried.arn()).isEqualTo(first.arn());
        assertThatThrownBy(() -> sm.createSecret(r -> r.name("app").secretString("other")))
                .isInstanceOf(ResourceExistsException.class).hasMessageContaining("already exists");
    }

    @Test
    void unknownSecret_isResourceNotFound() {
        assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("nope")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("can't find the specified secret");
        assertThatThrownBy(() -> sm.describeSecret(r -> r.secretId("nope"))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void delete_withARecoveryWindow_hidesTheValueUntilItEnds_andForcedDeleteRemovesAtOnce() {
        sm.createSecret(r -> r.name("kept").secretString("x"));
        sm.createSecret(r -> r.name("gone").secretString("y"));

        Instant deletion = sm.deleteSecret(r -> r.secretId("kept").recoveryWindowInDays(7L)).deletionDate();
        sm.deleteSecret(r -> r.secretId("gone").forceDeleteWithoutRecovery(true));

        assertThat(deletion).isEqualTo(Instant.parse("2026-03-08T12:00:00Z"));
        assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("kept")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("marked for deletion");
        assertThat(sm.describeSecret(r -> r.secretId("kept")).deletedDate()).isEqualTo(deletion);
        assertThatThrownBy(() -> sm.createSecret(r -> r.name("kept").secretString("z")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("scheduled for deletion");
        assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("gone"))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> sm.deleteSecret(r -> r.secretId("kept").recoveryWindowInDays(3L)))
                .isInstanceOf(InvalidParameterException.class);

        clock.advance(Duration.ofDays(7));
        assertThatThrownBy(() -> sm.describeSecret(r -> r.secretId("kept"))).isInstanceOf(ResourceNotFoundException.class);
        assertThat(sm.createSecret(r -> r.name("kept").secretString("z")).name()).isEqualTo("kept");
    }

    @Test
    void secrets_areKeptInAFileOnlyItsOwnerReads_andOutliveARestart() throws Exception {
        sm.createSecret(r -> r.name("app").secretString("persisted-value"));
        Path file = work.resolve(SecretsManagerComponent.FILE);

        emulator.close();
        emulator = startEmulator();
        sm.close();
        sm = SecretsManagerClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.create()).build();

        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        assertThat(sm.getSecretValue(r -> r.secretId("app")).secretString()).isEqualTo("persisted-value");
        try (var files = Files.walk(work)) {
            List<Path> holding = files.filter(Files::isRegularFile).filter(p -> {
                try {
                    return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains("persisted-value");
                } catch (java.io.IOException e) {
                    return false;
                }
            }).toList();
            assertThat(holding).containsExactly(file);
        }
    }

    @Test
    void awsCli_createsReadsUpdatesDescribesAndDeletes() throws Exception {
        AwsCli cli = new AwsCli(emulator.endpoint().toString(), accessKey, secretKey, REGION, work);

        Map<String, Object> created = Json.parseObject(cli.ok("secretsmanager", "create-secret", "--name", "cli/db",
                "--secret-string", "from-cli"));
        Map<String, Object> got = Json.parseObject(cli.ok("secretsmanager", "get-secret-value", "--secret-id", "cli/db"));
        cli.ok("secretsmanager", "put-secret-value", "--secret-id", "cli/db", "--secret-string", "second");
        Map<String, Object> described = Json.parseObject(cli.ok("secretsmanager", "describe-secret", "--secret-id",
                (String) created.get("ARN")));
        Map<String, Object> deleted = Json.parseObject(cli.ok("secretsmanager", "delete-secret", "--secret-id",
                "cli/db", "--force-delete-without-recovery"));
        AwsCli.Result missing = cli.run("secretsmanager", "get-secret-value", "--secret-id", "cli/db");

        assertThat(got).containsEntry("SecretString", "from-cli").containsEntry("Name", "cli/db");
        assertThat((Map<?, ?>) described.get("VersionIdsToStages")).hasSize(2);
        assertThat(deleted).containsEntry("Name", "cli/db");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("ResourceNotFoundException");
        assertThatThrownBy(() -> sm.describeSecret(r -> r.secretId("cli/db")))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
