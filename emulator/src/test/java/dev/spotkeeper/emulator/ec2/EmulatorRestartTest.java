package dev.spotkeeper.emulator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/** An emulator started again in the work directory of an earlier one: what that one left is found and ended. */
class EmulatorRestartTest {
    @TempDir
    Path work;

    private static Instance describe(EmulatorFixture f, String id) {
        return f.ec2.describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    private static String launch(EmulatorFixture f) {
        String userData = Base64.getEncoder().encodeToString("#!/bin/sh\nsleep 300\n".getBytes(StandardCharsets.UTF_8));
        String id = f.ec2.runInstances(b -> b.imageId(InstanceLifecycleTest.AMI).instanceType("m5.large").minCount(1)
                .maxCount(1).userData(userData).placement(p -> p.availabilityZone("us-east-1a"))
                .instanceMarketOptions(m -> m.marketType("spot")).tagSpecifications(t -> t.resourceType("instance")
                        .tags(tag -> tag.key("spotkeeper:workload").value("train"))))
                .instances().get(0).instanceId();
        await().atMost(Duration.ofSeconds(15)).until(() -> describe(f, id).state().name() == InstanceStateName.RUNNING);
        return id;
    }

    @Test
    void secondStart_listsTheEarlierInstancesTerminated_andNeverReusesTheirIds() throws Exception {
        String first;
        try (EmulatorFixture a = new EmulatorFixture(work, 256)) {
            first = launch(a);
        }

        // The same seed and the same clock reading: only the work directory tells the two starts apart.
        try (EmulatorFixture b = new EmulatorFixture(work, 256)) {
            Instance earlier = describe(b, first);
            assertThat(earlier.state().name()).isEqualTo(InstanceStateName.TERMINATED);
            assertThat(earlier.stateReason().code()).isEqualTo("Server.InternalError");
            assertThat(earlier.tags()).anySatisfy(t -> assertThat(t.value()).isEqualTo("train"));
            assertThat(b.emulator.ec2().earlierRun().instances()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> b.eventTypes(first)
                    .contains("EC2 Instance State-change Notification:terminated"));

            String second = launch(b);

            assertThat(second).isNotEqualTo(first);
        }
    }

    @Test
    void secondStart_endsTheProcessGroupAnEarlierOneLeft_recognisedByPidAndStartTime() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "no setsid here");
        Path instances = Files.createDirectories(work.resolve("instances"));
        Process leftover = new ProcessBuilder("/usr/bin/setsid", "/bin/sh", "-c",
                "sleep 300 & echo $! > " + work.resolve("member.pid") + "; wait").start();
        Process unrelated = new ProcessBuilder("/usr/bin/setsid", "/bin/sh", "-c", "sleep 300").start();
        try {
            Path memberFile = work.resolve("member.pid");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(memberFile)
                    && !Files.readString(memberFile).isBlank());
            ProcessHandle member = ProcessHandle.of(Long.parseLong(Files.readString(memberFile).trim())).orElseThrow();
            record(instances, "i-0aaaaaaaaaaaaaaa1", leftover.pid(),
                    leftover.toHandle().info().startInstant().orElseThrow().toString());
            // Its pid, but not its start time: a process that only got the pid of an instance that died.
            record(instances, "i-0aaaaaaaaaaaaaaa2", unrelated.pid(),
                    unrelated.toHandle().info().startInstant().orElseThrow().minusSeconds(3600).toString());

            try (EmulatorFixture f = new EmulatorFixture(work, 256)) {
                assertThat(leftover.isAlive()).isFalse();
                await().atMost(Duration.ofSeconds(10)).until(() -> !member.isAlive());
                assertThat(unrelated.isAlive()).isTrue();
                assertThat(f.emulator.ec2().earlierRun()).isEqualTo(new Ec2Component.EarlierRun(2, 1));
                assertThat(describe(f, "i-0aaaaaaaaaaaaaaa1").state().name()).isEqualTo(InstanceStateName.TERMINATED);
            }
        } finally {
            leftover.destroyForcibly();
            unrelated.destroyForcibly();
        }
    }

    @Test
    void secondStart_recognisesTheLeftoverByTheKernelsStartTicks_whenTheClockWasSteppedSinceItWasRecorded()
            throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "no setsid here");
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/sys/kernel/random/boot_id")), "no /proc here");
        Path instances = Files.createDirectories(work.resolve("instances"));
        Process leftover = new ProcessBuilder("/usr/bin/setsid", "/bin/sh", "-c", "sleep 300").start();
        Process unrelated = new ProcessBuilder("/usr/bin/setsid", "/bin/sh", "-c", "sleep 300").start();
        try {
            String bootId = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
            // The wall-clock start time as a process computed it before the clock was stepped by an hour: only the
            // kernel's ticks still name the process.
            record(instances, "i-0aaaaaaaaaaaaaaa3", leftover.pid(),
                    leftover.toHandle().info().startInstant().orElseThrow().minusSeconds(3600).toString(),
                    bootId + "/" + startTicks(leftover.pid()));
            // The right wall-clock start time but other ticks: the pid now belongs to another process.
            record(instances, "i-0aaaaaaaaaaaaaaa4", unrelated.pid(),
                    unrelated.toHandle().info().startInstant().orElseThrow().toString(),
                    bootId + "/" + (Long.parseLong(startTicks(unrelated.pid())) + 1));

            try (EmulatorFixture f = new EmulatorFixture(work, 256)) {
                assertThat(leftover.isAlive()).isFalse();
                assertThat(unrelated.isAlive()).isTrue();
                assertThat(f.emulator.ec2().earlierRun()).isEqualTo(new Ec2Component.EarlierRun(2, 1));
            }
        } finally {
            leftover.destroyForcibly();
            unrelated.destroyForcibly();
        }
    }

    /** Field 22 of /proc/PID/stat, counted after the command name's closing parenthesis. */
    private static String startTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
    }

    private static void record(Path instances, String id, long pid, String start) throws Exception {
        record(instances, id, pid, start, null);
    }

    private static void record(Path instances, String id, long pid, String start, String identity) throws Exception {
        Files.writeString(instances.resolve(id + ".json"), "{\"instanceId\":\"" + id + "\",\"reservationId\":\"r-0a\","
                + "\"imageId\":\"" + InstanceLifecycleTest.AMI + "\",\"instanceType\":\"m5.large\",\"region\":\"us-east-1\","
                + "\"availabilityZone\":\"us-east-1a\",\"spot\":true,\"launchTime\":\"2026-03-01T11:00:00Z\","
                + "\"privateIp\":\"10.0.0.14\",\"tags\":{\"spotkeeper:workload\":\"train\"},\"pid\":" + pid
                + ",\"processStart\":\"" + start + "\""
                + (identity == null ? "" : ",\"processIdentity\":\"" + identity + "\"") + "}\n");
    }
}
