package dev.spotkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.cli.job.AwsCli;
import dev.spotkeeper.cli.job.ChainJob;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.checkpoint.StoredObject;
import dev.spotkeeper.core.cloud.FaultInjectionPort;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.plane.Plane;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;

/**
 * The serverless control plane end to end on the emulator: {@code spotkeeper deploy --endpoint-url} makes the stack
 * (its rules, queue, table, buckets and the two functions from the real function jar), then two jobs are submitted
 * to the stack's table and no controller runs in this process: the schedule's function launches them (the stack's
 * {@code rate(1 minute)}, which this emulator runs every 5 s), and the queue's function, fed by EventBridge's rules
 * and the agents' reports through the event queue, handles three FIS
 * interruptions of one of them. Both finish with the same result, from the checkpoints of the interrupted one.
 */
class ServerlessJobTest {
    private static final int STEPS = 80;
    /** The emulator runs the stack's {@code rate(1 minute)} every 5 s (AWS's pace is the deployed minute). */
    private static final double SCHEDULE_SCALE = 12;
    private static final String REGION = DeployedStack.REGION;

    @TempDir
    static Path dir;

    private static DeployedStack stack;
    private static LocalEmulator emulator;
    private static Plane plane;
    private static Map<String, String> outputs;

    @BeforeAll
    static void deploy() throws Exception {
        stack = DeployedStack.start(dir, SCHEDULE_SCALE);
        emulator = stack.emulator;
        plane = stack.plane;
        outputs = stack.outputs;
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void threeFisInterruptions_underTheFunctionsAlone_endWithTheUninterruptedResult() {
        // calm as a user submits it: `run --detach` finds the deployed plane by its stack's outputs, with no table
        // or queue named, and leaves the job to the functions.
        CliRun run = submitWithTheCli("calm");
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("submitted calm to AWS", "(the serverless plane of stack spotkeeper)")
                .doesNotContain("keep `spotkeeper controller");
        assertThat(plane.store().workload("calm")).as("calm in the stack's table").isPresent();
        // And no resident controller may be started beside the functions.
        CliRun second = AwsCli.run(cliEnvironment(), "controller");
        assertThat(second.exitCode()).as(second.all()).isEqualTo(2);
        assertThat(second.err()).contains("has a controller of its own");
        Controller submitter = plane.controller();
        submit(submitter, "stormy");
        submitter.close();

        FaultInjectionPort fis = plane.faultInjection();
        FaultInjectionPort.Template template = fis.ensureTemplate(new FaultInjectionPort.TemplateSpec("stormy",
                REGION, FaultInjectionPort.Fault.SPOT_INTERRUPTION,
                Map.of("spotkeeper:workload", "stormy")));
        List<String> victims = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            double reached = 0.1 * k;
            String previous = victims.isEmpty() ? null : victims.get(victims.size() - 1);
            // Only the schedule launches the first instance; then interrupt what does the work now, once
            // it made progress of its own and the instance before it has ended.
            await("instance to interrupt #" + k).atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                    .until(() -> (previous == null || state(previous).isTerminal())
                            && current("stormy").filter(r -> r.state() == InstanceState.RUNNING).isPresent()
                            && workload("stormy").progress() >= reached);
            String victim = current("stormy").orElseThrow().instanceId();
            victims.add(victim);
            String experiment = fis.start(template.id(), "stormy-" + k);
            await("evacuation #" + k).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> state(victim) == InstanceState.EVACUATING || state(victim).isTerminal());
            assertThat(fis.state(experiment).failed()).isFalse();
        }
        await("both jobs to finish").atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500))
                .until(() -> finished("calm") && finished("stormy"));
        assertThat(workload("calm").status()).isEqualTo(WorkloadStatus.SUCCEEDED);
        assertThat(workload("stormy").status()).isEqualTo(WorkloadStatus.SUCCEEDED);

        Map<String, String> calm = results("calm");
        assertThat(calm).containsOnlyKeys("result.txt");
        assertThat(calm.get("result.txt")).startsWith("steps " + STEPS + " state ");
        assertThat(results("stormy")).isEqualTo(calm);

        List<InstanceRecord> line = plane.store().instances("stormy");
        assertThat(line).as("one launch per interruption, none twice").hasSize(4)
                .allMatch(r -> r.state() == InstanceState.TERMINATED);
        assertThat(line).extracting(InstanceRecord::instanceId).containsAll(victims);
        for (InstanceRecord next : line.subList(1, line.size())) {
            assertThat(next.replaces()).as("each replacement follows the instance it replaces").isNotEmpty();
        }
        assertThat(plane.store().instances("calm")).hasSize(1);
        launchedThroughTheStacksTemplate();
    }

    /**
     * Every instance the functions launched went through the stack's launch template (EC2's system tag names it in
     * DescribeInstances) with IMDSv2 required, and the functions made no template of their own.
     */
    private static void launchedThroughTheStacksTemplate() {
        try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey())))
                .build()) {
            List<LaunchTemplate> templates = ec2.describeLaunchTemplates(r -> { }).launchTemplates();
            assertThat(templates).as("the stack's template only").extracting(LaunchTemplate::launchTemplateName)
                    .containsExactly(outputs.get("AgentLaunchTemplateName"));
            String templateId = templates.get(0).launchTemplateId();
            List<Instance> launched = ec2.describeInstances(r -> { }).reservations().stream()
                    .flatMap(r -> r.instances().stream())
                    .filter(i -> i.tags().stream().anyMatch(t -> t.key().equals("spotkeeper:managed")))
                    .toList();
            assertThat(launched).as("calm's and stormy's instances").hasSize(5).allSatisfy(i -> {
                assertThat(i.tags()).as(i.instanceId()).anyMatch(t -> t.key().equals("aws:ec2launchtemplate:id")
                        && t.value().equals(templateId));
                assertThat(i.metadataOptions().httpTokens()).as(i.instanceId()).isEqualTo(HttpTokensState.REQUIRED);
            });
        }
    }

    /** The environment `spotkeeper` runs in against the emulator as on AWS: its endpoint and keys, nothing more. */
    private static Map<String, String> cliEnvironment() {
        return Map.of("SPOTKEEPER_ENDPOINT_URL", emulator.endpoint().toString(),
                "AWS_ACCESS_KEY_ID", emulator.credentials().accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", emulator.credentials().secretAccessKey(),
                "SPOTKEEPER_REGION", REGION, "SPOTKEEPER_MARKET", "emulator");
    }

    private static CliRun submitWithTheCli(String name) {
        try {
            java.nio.file.Path file = dir.resolve(name + ".yaml");
            java.nio.file.Files.writeString(file, ChainJob.yaml(name, outputs.get("CheckpointBucketName"),
                    outputs.get("ArtifactsBucketName"), STEPS, "15m"));
            return AwsCli.run(cliEnvironment(), "run", "--detach", file.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void submit(Controller controller, String name) {
        controller.submit(YamlSpecs.parse(name + ".yaml", ChainJob.yaml(name, outputs.get("CheckpointBucketName"),
                outputs.get("ArtifactsBucketName"), STEPS, "15m")));
    }

    private static WorkloadRecord workload(String name) {
        return plane.store().workload(name).orElseThrow();
    }

    private static InstanceState state(String instanceId) {
        return plane.store().instance(instanceId).orElseThrow().state();
    }

    private static Optional<InstanceRecord> current(String name) {
        return plane.store().instances(name).stream()
                .filter(r -> !r.state().isTerminal() && r.replacedBy().isEmpty()).reduce((a, b) -> b);
    }

    private static boolean finished(String name) {
        return workload(name).status().isTerminal()
                && plane.store().instances(name).stream().allMatch(r -> r.state().isTerminal());
    }

    private static Map<String, String> results(String name) {
        ObjectStore store = plane.objects().bucket(outputs.get("ArtifactsBucketName"));
        String prefix = "results/" + name + "/";
        Map<String, String> out = new TreeMap<>();
        for (StoredObject o : store.list(prefix)) {
            out.put(o.key().substring(prefix.length()),
                    new String(store.getBytes(o.key()).orElseThrow(), StandardCharsets.ISO_8859_1));
        }
        return out;
    }
}
