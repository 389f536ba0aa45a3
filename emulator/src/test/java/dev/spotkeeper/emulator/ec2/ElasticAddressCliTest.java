package dev.spotkeeper.emulator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.AwsCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Elastic IPs through the real AWS CLI v2: allocate with a tag, associate, find by tag, refuse a release, release. */
class ElasticAddressCliTest {
    @TempDir
    static Path work;
    static EmulatorFixture f;
    static AwsCli cli;

    @BeforeAll
    static void start() throws Exception {
        AwsCli.assumeInstalled();
        f = new EmulatorFixture(work.resolve("emulator"), 256);
        Files.createDirectories(work.resolve("cli"));
        cli = new AwsCli(f.emulator.endpoint().toString(), f.emulator.credentials().accessKeyId(),
                f.emulator.credentials().secretAccessKey(), "us-east-1", work.resolve("cli"));
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> addresses(String... filter) throws Exception {
        String[] args = new String[filter.length + 2];
        args[0] = "ec2";
        args[1] = "describe-addresses";
        System.arraycopy(filter, 0, args, 2, filter.length);
        return (List<Map<String, Object>>) Json.parseObject(cli.ok(args)).get("Addresses");
    }

    @Test
    @SuppressWarnings("unchecked")
    void cli_allocatesAssociatesDescribesAndReleases() throws Exception {
        Map<String, Object> allocated = Json.parseObject(cli.ok("ec2", "allocate-address", "--domain", "vpc",
                "--tag-specifications", "ResourceType=elastic-ip,Tags=[{Key=spotkeeper:workload,Value=clidb}]"));
        String alloc = (String) allocated.get("AllocationId");
        assertThat(alloc).startsWith("eipalloc-");
        assertThat((String) allocated.get("PublicIp")).matches("(198\\.51\\.100|203\\.0\\.113)\\.\\d+");

        String instance = (String) ((Map<String, Object>) ((List<?>) Json.parseObject(cli.ok("ec2", "run-instances",
                "--image-id", "ami-0e5f0a1b2c3d40001", "--instance-type", "m5.large", "--count", "1"))
                .get("Instances")).get(0)).get("InstanceId");
        await().atMost(Duration.ofSeconds(15)).until(() -> f.ec2.describeInstances(b -> b.instanceIds(instance))
                .reservations().get(0).instances().get(0).state().nameAsString().equals("running"));
        Map<String, Object> associated = Json.parseObject(cli.ok("ec2", "associate-address", "--allocation-id", alloc,
                "--instance-id", instance));
        assertThat((String) associated.get("AssociationId")).startsWith("eipassoc-");

        List<Map<String, Object>> found = addresses("--filters", "Name=tag:spotkeeper:workload,Values=clidb");
        assertThat(found).hasSize(1);
        assertThat(found.get(0)).containsEntry("AllocationId", alloc).containsEntry("InstanceId", instance)
                .containsEntry("AssociationId", associated.get("AssociationId"));

        AwsCli.Result refused = cli.run("ec2", "release-address", "--allocation-id", alloc);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("InvalidIPAddress.InUse");

        cli.ok("ec2", "disassociate-address", "--association-id", (String) associated.get("AssociationId"));
        cli.ok("ec2", "release-address", "--allocation-id", alloc);
        assertThat(addresses("--filters", "Name=allocation-id,Values=" + alloc)).isEmpty();
        cli.ok("ec2", "terminate-instances", "--instance-ids", instance);
    }
}
