package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.cli.Main;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobCommandsTest {
    @TempDir
    Path dir;

    private Function<DeploymentOptions, JobBackend> previous;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private InMemoryBackend install(boolean scripted) {
        InMemoryBackend backend = new InMemoryBackend(scripted);
        previous = JobBackends.install(o -> backend);
        return backend;
    }

    @AfterEach
    void restore() {
        if (previous != null) {
            JobBackends.install(previous);
            JobBackends.uninstall();
        }
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private Path spec(String name) throws IOException {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\nrun: python train.py --epochs 10\nbudget: 5\n"
                + "checkpoint:\n  dir: /tmp/ckpt\n  signal: SIGUSR1\n");
        return f;
    }

    @Test
    void run_followsTheJobToCompletion_withEventsStatusLineAndCostHint() throws IOException {
        install(true);

        int code = run("run", spec("train").toString(), "--interval", "0");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("submitted train to in-memory test cloud")
                .contains("LAUNCHED train").contains("RESTORED").contains("SUCCEEDED")
                .contains("status: train  succeeded").contains("cost: spotkeeper cost train");
    }

    @Test
    void detach_thenStatusListCostLogsCancel() throws IOException {
        InMemoryBackend backend = install(false);
        assertThat(run("run", spec("train").toString(), "--detach")).isZero();
        assertThat(out.toString()).contains("spotkeeper status train");

        assertThat(run("list")).isZero();
        assertThat(out.toString()).contains("train").contains("submitted");

        assertThat(run("status", "train")).isZero();
        assertThat(out.toString()).contains("status:      submitted").contains("none yet");

        assertThat(run("run", spec("train").toString(), "--timeout", "PT0S")).isEqualTo(2);
        assertThat(err.toString()).contains("already submitted");
        assertThat(run("run", spec("other").toString(), "--timeout", "PT0S")).isZero();
        assertThat(out.toString()).contains("LAUNCHED other").contains("stopped following after PT0S");
        assertThat(run("status", "train")).isZero();
        assertThat(out.toString()).contains("status:      running").contains("us-east-1/us-east-1a/m5.large");

        backend.clock.advance(java.time.Duration.ofMinutes(5));
        assertThat(run("cancel", "train")).isZero();
        assertThat(out.toString()).contains("cancelled train").contains("checkpoints kept");
        assertThat(backend.compute.alive()).extracting(i -> i.tags().get("spotkeeper:workload")).containsExactly("other");

        assertThat(run("cost", "train")).isZero();
        assertThat(out.toString()).contains("spot").contains("on-demand").contains("storage").contains("transfer")
                .contains("all on-demand would have cost");

        assertThat(run("logs", "train")).isZero();
        assertThat(out.toString()).contains("==> i-");
    }

    @Test
    void run_refusesAnImpossibleOrBrokenWorkloadFile_withTheLineAndExit2_andSubmitsNothing() throws IOException {
        InMemoryBackend backend = install(true);
        Path binary = dir.resolve("model.yaml");
        Files.write(binary, new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 1, (byte) 0xff});
        Path huge = dir.resolve("huge.yaml");
        Files.writeString(huge, "name: huge\nrun: t\nrequirements:\n  types: [m5.huge]\n");
        Path bucket = dir.resolve("bucket.yaml");
        Files.writeString(bucket, "name: bucket\nrun: t\nbuckets:\n  checkpoints: s3://ab/y\n");

        assertThat(run("run", binary.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: " + binary + ": is a binary file").doesNotContain("Input length")
                .doesNotContain("defect");
        assertThat(run("run", huge.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: " + huge + ":4: requirements.types has an unknown instance type"
                + " 'm5.huge' (did you mean m5.large?)");
        assertThat(run("run", bucket.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: " + bucket + ":4: buckets.checkpoints names the bucket 'ab'")
                .doesNotContain("IllegalArgumentException").doesNotContain("defect");
        assertThat(backend.store.workloads()).isEmpty();
    }

    @Test
    void run_refusesRequirementsNoPoolOfTheMarketMeets_namingTheLineOfTheOneThatRemovedTheMost() throws IOException {
        InMemoryBackend backend = install(true);
        Path f = dir.resolve("west.yaml");
        Files.writeString(f, "name: west\nrun: t\nrequirements:\n  vcpus: 2\n  regions: [eu-west-3]\n");

        assertThat(run("run", f.toString())).isEqualTo(2);

        assertThat(err.toString()).startsWith("error: " + f + ":5: requirements.regions leaves no pool of the 2 in"
                + " the market spotkeeper places this workload in (test)").contains("relax it first");
        assertThat(backend.store.workloads()).isEmpty();
    }

    @Test
    void run_withoutACheckpointBucket_whereNoneIsProvided_isRefusedWithTheLineAndTheFix() throws IOException {
        InMemoryBackend backend = install(true);
        backend.defaultCheckpoints = null;
        Path f = dir.resolve("nock.yaml");
        Files.writeString(f, "name: nock\nrun: python train.py\nbuckets:\n  results: s3://ml-team/out\n");

        assertThat(run("run", f.toString())).isEqualTo(2);

        assertThat(err.toString()).startsWith("error: " + f + ":3: buckets.checkpoints is required on AWS")
                .contains("buckets: {checkpoints: s3://").contains("nothing was submitted");
        assertThat(backend.store.workloads()).isEmpty();
    }

    @Test
    void run_withoutACheckpointBucket_locally_getsTheDefaultInItsStoredSpec_andSaysSo() throws IOException {
        InMemoryBackend backend = install(true);

        assertThat(run("run", spec("train").toString(), "--detach")).isZero();

        assertThat(out.toString()).contains("no buckets.checkpoints in " + dir.resolve("train.yaml")
                + ": checkpoints go to s3://spotkeeper-checkpoints/train/");
        String stored = backend.store.workload("train").orElseThrow().specText();
        // The store keeps the canonical JSON: the file's spec with that one value added.
        WorkloadSpec fromFile = YamlSpecs.parse("train.yaml", Files.readString(dir.resolve("train.yaml")));
        WorkloadSpec read = WorkloadSpecJson.read("stored", stored);
        assertThat(read.buckets().checkpoints()).isEqualTo("s3://spotkeeper-checkpoints");
        assertThat(new WorkloadSpec(read.name(), read.requirements(), read.strategy(), read.limits(), read.image(),
                fromFile.buckets(), read.relocation(), read.extension())).isEqualTo(fromFile);
    }

    @Test
    void status_namesTheCheckpointTheJobResumedFrom_andTheSkippedOnesWithWhy() throws IOException {
        InMemoryBackend backend = install(false);
        run("run", spec("train").toString(), "--detach");
        var w = backend.store.workload("train").orElseThrow();
        backend.store.updateWorkload(w.with(w.status(), 0.4, "ckpt-0000000002-i-1", backend.clock.instant())
                .withRun(w.run().restored("ckpt-0000000002-i-1",
                        java.util.List.of("ckpt-0000000003-i-1: checksum mismatch for model.bin")), backend.clock.instant()));

        assertThat(run("status", "train")).isZero();

        assertThat(out.toString()).contains("checkpoint:  ckpt-0000000002-i-1 (the job resumed from ckpt-0000000002-i-1,"
                + " skipping ckpt-0000000003-i-1: checksum mismatch for model.bin)");
    }

    @Test
    void status_ofANameSubmittedAgain_showsOnlyTheCurrentSubmissionsInstances() throws IOException {
        InMemoryBackend backend = install(false);
        run("run", spec("train").toString(), "--timeout", "PT0S");
        String old = backend.store.instances("train").get(0).instanceId();
        backend.clock.advance(java.time.Duration.ofHours(2));
        run("cancel", "train");
        run("run", spec("train").toString(), "--timeout", "PT0S");
        assertThat(backend.store.instances("train")).hasSize(2);

        assertThat(run("status", "train")).isZero();

        assertThat(out.toString()).doesNotContain(old).contains("status:      running").contains("spent:       $0.0000");
        assertThat(run("list")).isZero();
        assertThat(out.toString()).doesNotContain(old).contains("$0.0000");
        assertThat(run("cost", "train")).isZero();
        assertThat(out.toString()).contains("(0.00 instance-hours)");
    }

    @Test
    void status_ofAnUnknownWorkload_suggestsTheNearestName() throws IOException {
        install(false);
        run("run", spec("train").toString(), "--detach");

        int code = run("status", "trian");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: no workload named 'trian'").contains("train");
    }

    /** A launched instance of ours, through the command a user runs, for events to name. */
    private String launchedInstance(InMemoryBackend backend) throws IOException {
        run("run", spec("train").toString(), "--timeout", "PT0S");
        return backend.store.instances("train").get(0).instanceId();
    }

    private static String warning(String instanceId, String account, String region, String time, String resources) {
        return "{\n  \"version\": \"0\",\n  \"id\": \"1\",\n"
                + "  \"detail-type\": \"EC2 Spot Instance Interruption Warning\",\n  \"source\": \"aws.ec2\",\n"
                + "  \"account\": \"" + account + "\",\n  \"time\": \"" + time + "\",\n  \"region\": \"" + region + "\",\n"
                + "  \"resources\": " + resources + ",\n"
                + "  \"detail\": {\"instance-id\": \"" + instanceId + "\", \"instance-action\": \"terminate\"}\n}\n";
    }

    private String arn(String region, String account, String id) {
        return "[\"arn:aws:ec2:" + region + ":" + account + ":instance/" + id + "\"]";
    }

    @Test
    void eventsSend_putsAValidEventOnTheQueue() throws IOException {
        InMemoryBackend backend = install(false);
        String id = launchedInstance(backend);
        int before = backend.queue.visibleCount();
        Path f = dir.resolve("warning.json");
        Files.writeString(f, warning(id, InMemoryBackend.ACCOUNT, "us-east-1", backend.clock.instant().toString(),
                arn("us-east-1", InMemoryBackend.ACCOUNT, id)));

        assertThat(run("events", "send", f.toString())).as(err.toString()).isZero();

        assertThat(out.toString()).contains("sent 'EC2 Spot Instance Interruption Warning' for " + id);
        assertThat(err.toString()).isEmpty();
        assertThat(backend.queue.visibleCount()).isEqualTo(before + 1);
    }

    @Test
    void eventsSend_refusesPlaceholders_withTheLineOfEach_andSendsNothing() throws IOException {
        InMemoryBackend backend = install(false);
        launchedInstance(backend);
        int before = backend.queue.visibleCount();
        Path f = dir.resolve("pasted.json");
        Files.writeString(f, warning("<instance-id>", "123456789012", "us-east-1", backend.clock.instant().toString(),
                arn("us-east-1", "123456789012", "<instance-id>")));
        Path sample = dir.resolve("sample.json");
        Files.writeString(sample, warning("i-0123456789abcdef0", InMemoryBackend.ACCOUNT, "us-east-1",
                backend.clock.instant().toString(), arn("us-east-1", InMemoryBackend.ACCOUNT, "i-0123456789abcdef0")));

        assertThat(run("events", "send", f.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: " + f + " is not an event to send yet; nothing was sent:")
                .contains(f + ":6: account '123456789012' is the sample account of the AWS documentation")
                .contains(f + ":10: detail.instance-id '<instance-id>' is a placeholder")
                .contains("--force").doesNotContain("Exception");
        assertThat(run("events", "send", sample.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(sample + ":10: detail.instance-id 'i-0123456789abcdef0' is no instance"
                + " spotkeeper runs here").contains("spotkeeper status");
        assertThat(backend.queue.visibleCount()).isEqualTo(before);
    }

    @Test
    void eventsSend_refusesMalformedAndMismatchedArns() throws IOException {
        InMemoryBackend backend = install(false);
        String id = launchedInstance(backend);
        String now = backend.clock.instant().toString();
        String account = InMemoryBackend.ACCOUNT;
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("[\"arn:aws:ec2:us-east-1a::instance/" + id + "\"]", "is not an instance ARN");
        cases.put(arn("eu-west-1", account, id), "names region eu-west-1, but the event's region is us-east-1");
        cases.put(arn("us-east-1", "111111111111", id), "names account 111111111111, but the event's account is "
                + account);
        cases.put(arn("us-east-1", account, "i-0fedcba9876543210"), "names instance i-0fedcba9876543210, but"
                + " detail.instance-id is " + id);
        cases.put("[]", "resources is empty");
        int before = backend.queue.visibleCount();
        for (var c : cases.entrySet()) {
            Path f = dir.resolve("arn.json");
            Files.writeString(f, warning(id, account, "us-east-1", now, c.getKey()));

            assertThat(run("events", "send", f.toString())).as(c.getKey()).isEqualTo(2);
            assertThat(err.toString()).as(c.getKey()).contains(f + ":9: ").contains(c.getValue())
                    .contains("arn:aws:ec2:us-east-1:" + account + ":instance/" + id);
        }
        Path wrongRegion = dir.resolve("region.json");
        Files.writeString(wrongRegion, warning(id, account, "eu-west-1", now, arn("eu-west-1", account, id)));
        assertThat(run("events", "send", wrongRegion.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(wrongRegion + ":8: region 'eu-west-1' is not where " + id + " runs"
                + " (us-east-1)");
        assertThat(backend.queue.visibleCount()).isEqualTo(before);
    }

    @Test
    void eventsSend_refusesATimeFarFromNow_sayingHowFar() throws IOException {
        InMemoryBackend backend = install(false);
        String id = launchedInstance(backend);
        Path old = dir.resolve("old.json");
        Files.writeString(old, warning(id, InMemoryBackend.ACCOUNT, "us-east-1",
                backend.clock.instant().minus(java.time.Duration.ofDays(2300)).toString(),
                arn("us-east-1", InMemoryBackend.ACCOUNT, id)));
        Path future = dir.resolve("future.json");
        Files.writeString(future, warning(id, InMemoryBackend.ACCOUNT, "us-east-1",
                backend.clock.instant().plus(java.time.Duration.ofMinutes(90)).toString(),
                arn("us-east-1", InMemoryBackend.ACCOUNT, id)));

        assertThat(run("events", "send", old.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(old + ":7: time").contains("is 6 years 3 months before now")
                .contains("real events arrive within seconds");
        assertThat(run("events", "send", future.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(future + ":7: time").contains("is 1 hour 30 minutes after now");
    }

    @Test
    void eventsSend_withForce_sendsAProblemEventAnyway_withAWarningPerProblem() throws IOException {
        InMemoryBackend backend = install(false);
        String id = launchedInstance(backend);
        int before = backend.queue.visibleCount();
        Path f = dir.resolve("old.json");
        Files.writeString(f, warning(id, InMemoryBackend.ACCOUNT, "us-east-1", "2019-11-05T11:03:11Z",
                arn("us-east-1a", "", id)));

        assertThat(run("events", "send", f.toString(), "--force")).isZero();

        assertThat(err.toString()).contains("warning: " + f + ":7: time").contains("warning: " + f + ":9: ");
        assertThat(out.toString()).contains("sent 'EC2 Spot Instance Interruption Warning' for " + id)
                .contains("despite 2 problems (--force)");
        assertThat(backend.queue.visibleCount()).isEqualTo(before + 1);
    }

    @Test
    void eventsSend_refusesAFileWithCommentsNamingTheLine() throws IOException {
        InMemoryBackend backend = install(false);
        Path f = dir.resolve("pasted.json");
        Files.writeString(f, "{\n  \"detail-type\": \"EC2 Spot Instance Interruption Warning\",\n"
                + "  \"id\": \"1\" # example value\n}\n");

        int code = run("events", "send", f.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: " + f + ":3: not valid JSON").contains("nothing was sent")
                .doesNotContain("Exception");
        assertThat(backend.queue.visibleCount()).isZero();
    }

    @Test
    void eventsSend_refusesJsonThatIsNotAnEvent() throws IOException {
        install(false);
        Path f = dir.resolve("x.json");
        Files.writeString(f, "{\"hello\": \"world\"}");

        int code = run("events", "send", f.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("not an EventBridge event");
    }

    @Test
    void jobCommands_withNoLocalControlPlaneRunning_sayHowToStartOne() {
        Assumptions.assumeTrue(JobBackends.isLocal(new DeploymentOptions()), "AWS credentials in the environment");
        String before = System.getProperty("spotkeeper.home");
        System.setProperty("spotkeeper.home", dir.resolve("home").toString());
        try {
            for (String[] args : new String[][] {{"status", "train"}, {"list"}, {"logs", "train"}, {"cancel", "train"},
                    {"cost", "train"}}) {
                int code = run(args);

                assertThat(code).as(String.join(" ", args)).isEqualTo(2);
                assertThat(err.toString()).as(String.join(" ", args)).isEqualTo("error: no local control plane is"
                        + " running; start one with `spotkeeper local start`, or run the job in the foreground"
                        + " (`spotkeeper run FILE`)" + System.lineSeparator());
            }
            assertThat(dir.resolve("home").resolve("plane.json")).doesNotExist();
        } finally {
            if (before == null) {
                System.clearProperty("spotkeeper.home");
            } else {
                System.setProperty("spotkeeper.home", before);
            }
        }
    }
}
