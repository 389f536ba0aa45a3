package dev.spotkeeper.emulator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * An instance's {@code shutdown}, {@code poweroff}, {@code halt} and {@code reboot} are its own: they stop the
 * emulated instance they run on and never reach this machine's power controls.
 */
class InstancePowerTest {
    @TempDir
    static Path work;
    static EmulatorFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(work, 256);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static Instance describe(String id) {
        return f.ec2.describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    private static String launch(String script) {
        String userData = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8));
        String id = f.ec2.runInstances(b -> b.imageId(InstanceLifecycleTest.AMI).instanceType("m5.large").minCount(1)
                .maxCount(1).userData(userData).placement(p -> p.availabilityZone("us-east-1a"))
                .instanceMarketOptions(m -> m.marketType("spot").spotOptions(s -> s.maxPrice("5"))))
                .instances().get(0).instanceId();
        await().atMost(Duration.ofSeconds(15)).until(() -> describe(id).state().name() == InstanceStateName.RUNNING);
        return id;
    }

    private static Path dir(String id) {
        return f.emulator.workDirectory().resolve("instances").resolve(id);
    }

    private static String file(String id, String name) {
        Path p = dir(id).resolve(name);
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(p) && !Files.readString(p).isBlank());
        try {
            return Files.readString(p).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shutdownFromInside_terminatesTheInstanceItRunsOn_withEc2sReason() {
        String id = launch("#!/bin/sh\ncommand -v shutdown > which-shutdown\nsleep 1\nshutdown -h now\nsleep 300\n");
        String other = launch("#!/bin/sh\nsleep 300\n");

        assertThat(file(id, "which-shutdown")).isEqualTo(dir(id).resolve(".emulator/bin/shutdown").toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> describe(id).state().name() == InstanceStateName.TERMINATED);
        Instance done = describe(id);
        assertThat(done.stateReason().code()).isEqualTo("Client.InstanceInitiatedShutdown");
        assertThat(f.ec2.describeSpotInstanceRequests(b -> b.spotInstanceRequestIds(done.spotInstanceRequestId()))
                .spotInstanceRequests().get(0).status().code()).isEqualTo("instance-terminated-by-user");
        assertThat(describe(other).state().name()).isEqualTo(InstanceStateName.RUNNING);
        f.ec2.terminateInstances(b -> b.instanceIds(other));
    }

    @Test
    void poweroffAndHalt_areTheInstancesOwnToo() {
        String a = launch("#!/bin/sh\nsleep 1\npoweroff\nsleep 300\n");
        String b = launch("#!/bin/sh\nsleep 1\nhalt -p\nsleep 300\n");

        await().atMost(Duration.ofSeconds(20)).until(() -> describe(a).state().name() == InstanceStateName.TERMINATED
                && describe(b).state().name() == InstanceStateName.TERMINATED);
        assertThat(describe(a).stateReason().code()).isEqualTo("Client.InstanceInitiatedShutdown");
        assertThat(describe(b).stateReason().code()).isEqualTo("Client.InstanceInitiatedShutdown");
    }

    @Test
    void reboot_endsTheInstancesProcesses_andKeepsItRunning() throws Exception {
        String id = launch("#!/bin/sh\nsleep 300 &\necho $! > child.pid\nsleep 1\nreboot\nsleep 300\n");
        ProcessHandle child = ProcessHandle.of(Long.parseLong(file(id, "child.pid"))).orElseThrow();

        await().atMost(Duration.ofSeconds(20)).until(() -> !child.isAlive());
        assertThat(describe(id).state().name()).isEqualTo(InstanceStateName.RUNNING);
        f.ec2.terminateInstances(b -> b.instanceIds(id));
    }

    @Test
    void shutdownInMinutes_isScheduledOnTheInstance_notNow() {
        String id = launch("#!/bin/sh\nshutdown -h +5 > scheduled.txt\necho done > after.txt\nsleep 300\n");

        assertThat(file(id, "after.txt")).isEqualTo("done");
        assertThat(file(id, "scheduled.txt")).contains("halt of this emulated instance in 5 min");
        assertThat(describe(id).state().name()).isEqualTo(InstanceStateName.RUNNING);
        f.ec2.terminateInstances(b -> b.instanceIds(id));
    }
}
