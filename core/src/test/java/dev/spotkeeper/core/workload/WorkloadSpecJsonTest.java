package dev.spotkeeper.core.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.market.Architecture;
import dev.spotkeeper.core.placement.Requirements;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadSpecJsonTest {
    /** Every field set, each to a value unlike its default, so a field the codec drops changes the spec read back. */
    static WorkloadSpec everyField() {
        Requirements requirements = Requirements.builder().vcpus(8).memoryGib(30.5).gpus(1)
                .architecture(Architecture.ARM64).types(Set.of("g5.xlarge", "p3.2xlarge"))
                .excludedTypes(Set.of("g4dn.xlarge")).families(Set.of("g5", "p3")).excludedFamilies(Set.of("t3"))
                .regions(Set.of("us-east-1", "eu-west-1")).zones(Set.of("use1-az1", "us-east-1b"))
                .maxPricePerHour(1.25).build();
        return new WorkloadSpec("resnet", requirements, "lowest-price",
                new Limits(Optional.of(Duration.ofHours(48)), Optional.of(150.5), Optional.of(Duration.ofMinutes(2190))),
                "ami-0abc", new WorkloadSpec.Buckets("s3://src/code", "s3://out/results", "s3://ckpt/prefix", "us-west-2"),
                new RelocationSpec(Duration.ofHours(6), 0.15),
                new JobExtension("pip install -r requirements.txt\necho \"quoted\" 'single' \\ $HOME\u00e9",
                        "python train.py --resume", new CheckpointSpec("/work/ckpt", "", "touch /tmp/ask",
                        Duration.ofMillis(90_500))));
    }

    static ServiceExtension service() {
        return new ServiceExtension(new DatabaseSpec(DatabaseSpec.Engine.MYSQL, "8.0", "app_db", "sql/schema.sql",
                new DatabaseSpec.Backup(Duration.ofHours(5), Duration.ofMillis(2500))));
    }

    @Test
    void write_thenRead_givesBackEveryField() {
        WorkloadSpec spec = everyField();

        WorkloadSpec back = WorkloadSpecJson.read("stored", WorkloadSpecJson.write(spec));

        assertThat(back).isEqualTo(spec);
        assertThat(back.job().checkpoint().command()).isEqualTo("touch /tmp/ask");
        assertThat(back.requirements().architecture()).contains(Architecture.ARM64);
    }

    @Test
    void write_thenRead_keepsUnsetLimitsAndAnUnlimitedPriceUnset() {
        WorkloadSpec spec = new WorkloadSpec("t", Requirements.builder().build(), "expected-cost", Limits.NONE,
                "default", new WorkloadSpec.Buckets("", "", ""), RelocationSpec.never(),
                new JobExtension("", "t", new CheckpointSpec("checkpoint", "SIGUSR1", "", Duration.ofMinutes(5))));

        WorkloadSpec back = WorkloadSpecJson.read("stored", WorkloadSpecJson.write(spec));

        assertThat(back).isEqualTo(spec);
        assertThat(back.maxPrice()).isEmpty();
        assertThat(back.requirements().architecture()).isEmpty();
    }

    @Test
    void write_thenRead_keepsTheKindOfServiceAndFleet() {
        WorkloadSpec job = everyField();
        for (WorkloadExtension e : new WorkloadExtension[] {service(), new FleetExtension(4, 1,
                new FleetExtension.Placement("price-capacity-optimized", 9), new FleetExtension.Service(8080,
                new FleetExtension.HealthCheck("/health", java.time.Duration.ofSeconds(5), 2, 2),
                java.time.Duration.ofSeconds(120)), "", "python3 -m http.server \"$PORT\"")}) {
            WorkloadSpec spec = new WorkloadSpec(job.name(), job.requirements(), job.strategy(), job.limits(),
                    job.image(), job.buckets(), job.relocation(), e);

            WorkloadSpec back = WorkloadSpecJson.read("stored", WorkloadSpecJson.write(spec));

            assertThat(back).isEqualTo(spec);
            assertThat(back.kind()).isEqualTo(e.kind());
        }
    }

    @Test
    void write_namesTheSchemaVersionAndTheKind_andOneSpecHasOneText() {
        String text = WorkloadSpecJson.write(everyField());

        Map<String, Object> root = Json.parseObject(text);
        assertThat(root).containsEntry("schemaVersion", (long) WorkloadSpecJson.SCHEMA_VERSION).containsEntry("kind", "job").containsKey("job");
        assertThat(WorkloadSpecJson.write(WorkloadSpecJson.read("stored", text))).isEqualTo(text);
        assertThat(WorkloadSpecJson.isCanonical(text)).isTrue();
        assertThat(WorkloadSpecJson.isCanonical("name: train\nrun: t\n")).isFalse();
    }

    @Test
    void read_aNewerSchemaVersion_isRefusedSayingToUpgrade() {
        String newer = WorkloadSpecJson.write(everyField()).replace("\"schemaVersion\":" + WorkloadSpecJson.SCHEMA_VERSION,
                "\"schemaVersion\":9");

        assertThatThrownBy(() -> WorkloadSpecJson.read("workload resnet", newer))
                .isInstanceOfSatisfying(SpotkeeperException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FILE))
                .hasMessageContaining("workload resnet")
                .hasMessageContaining("schemaVersion 9, newer than this spotkeeper reads (" + WorkloadSpecJson.SCHEMA_VERSION + ")")
                .hasMessageContaining("upgrade spotkeeper");
    }

    @Test
    void read_aMissingVersion_anUnknownMember_orAWrongType_isRefusedByName() {
        String text = WorkloadSpecJson.write(everyField());

        assertThatThrownBy(() -> WorkloadSpecJson.read("s", text.replace("\"schemaVersion\":" + WorkloadSpecJson.SCHEMA_VERSION + ",", "")))
                .hasMessageContaining("schemaVersion is missing");
        assertThatThrownBy(() -> WorkloadSpecJson.read("s", text.replace("\"image\":", "\"colour\":\"red\",\"image\":")))
                .hasMessageContaining("colour is not a member");
        assertThatThrownBy(() -> WorkloadSpecJson.read("s", text.replace("\"vcpus\":8", "\"vcpus\":\"8\"")))
                .hasMessageContaining("requirements.vcpus must be a number");
        assertThatThrownBy(() -> WorkloadSpecJson.read("s", text.replace("\"job\":{", "\"jobs\":{")))
                .hasMessageContaining("job is missing");
        assertThatThrownBy(() -> WorkloadSpecJson.read("s", "name: train\n"))
                .hasMessageContaining("is not a workload spec in JSON");
    }

    @Test
    void write_thenRead_keepsNotify_andAStoredLiteralSecretIsRefusedByPath() {
        NotifySpec notify = new NotifySpec(
                java.util.Optional.of(NotifySpec.Slack.webApi(new Reference(Reference.Source.SECRET, "team/slack-bot"), "C0123456789")),
                java.util.Optional.of(new NotifySpec.Sns("arn:aws:sns:us-east-1:123456789012:spot-events")),
                java.util.Optional.of(new NotifySpec.Webhook(new Reference(Reference.Source.ENV, "OPS_HOOK"), "{\"t\": \"{{text}}\"}")),
                java.util.EnumSet.of(NotifyEvent.WARNING, NotifyEvent.ON_DEMAND), "ja");
        WorkloadSpec spec = everyField().withNotify(notify);

        String text = WorkloadSpecJson.write(spec);

        assertThat(WorkloadSpecJson.read("stored", text)).isEqualTo(spec);
        assertThat(text).contains("\"on\":[\"on-demand\",\"warning\"]");
        String literal = text.replace("secret:team/slack-bot", "xoxb-123");
        assertThatThrownBy(() -> WorkloadSpecJson.read("stored", literal)).isInstanceOf(SpotkeeperException.class)
                .hasMessage("stored: notify.slack.token must be an env: or secret: reference");
    }

    @Test
    void webhookTemplate_fill_escapesEveryValueAsTheInsideOfAJsonString() {
        String body = WebhookTemplate.fill("{\"text\": \"{{text}}\", \"n\": {{count}}, \"x\": \"{{ workload }}\"}",
                Map.of("text", "a \"quoted\"\nline \\ end", "count", "3", "workload", "train"));

        assertThat(Json.parseObject(body)).containsEntry("text", "a \"quoted\"\nline \\ end").containsEntry("n", 3L)
                .containsEntry("x", "train");
    }

    @Test
    void read_aServiceOfVersion1_isRefusedSayingToSubmitAgain_andOfVersion2_keepsItsDatabase() {
        WorkloadSpec job = everyField();
        WorkloadSpec spec = new WorkloadSpec(job.name(), job.requirements(), job.strategy(), job.limits(),
                job.image(), job.buckets(), job.relocation(), service());
        String text = WorkloadSpecJson.write(spec);
        String version1 = text.replace("\"schemaVersion\":" + WorkloadSpecJson.SCHEMA_VERSION, "\"schemaVersion\":1")
                .replaceFirst("\"service\":\\{.*\\}\\}\\}$", "\"service\":{}}");

        assertThat(version1).endsWith("\"service\":{}}");
        assertThatThrownBy(() -> WorkloadSpecJson.read("workload resnet", version1))
                .hasMessageContaining("service of schemaVersion 1 has no database")
                .hasMessageContaining("submit its workload file again");
        assertThat(WorkloadSpecJson.read("s", text).extension()).isEqualTo(service());
        assertThat(Json.parseObject(text)).extractingByKey("service").asString()
                .contains("engine=mysql", "version=8.0", "schema=app_db", "init=sql/schema.sql", "base=PT5H", "ship=PT2.5S");
    }

    @Test
    void read_aDatabaseWithABadValue_isRefusedByPath() {
        WorkloadSpec job = everyField();
        String text = WorkloadSpecJson.write(new WorkloadSpec(job.name(), job.requirements(), job.strategy(),
                job.limits(), job.image(), job.buckets(), job.relocation(), service()));

        assertThatThrownBy(() -> WorkloadSpecJson.read("s", text.replace("\"mysql\"", "\"postgres\"")))
                .hasMessageContaining("service.database.engine must be mariadb or mysql, was 'postgres'");
        assertThatThrownBy(() -> WorkloadSpecJson.read("s", text.replace("\"PT2.5S\"", "\"PT6H\"")))
                .hasMessageContaining("service.database: backup.ship must be positive and shorter than backup.base");
        assertThatThrownBy(() -> WorkloadSpecJson.read("s", text.replace("\"init\":", "\"seed\":1,\"init\":")))
                .hasMessageContaining("service.database.seed is not a member");
    }
}
