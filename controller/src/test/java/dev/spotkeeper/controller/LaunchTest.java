package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.cloud.LaunchRequest;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.AgentSpec;
import dev.spotkeeper.core.workload.AgentSpecJson;
import dev.spotkeeper.core.workload.JobExtension;
import dev.spotkeeper.core.workload.FleetExtension;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchTest {
    private final Harness h = new Harness();

    @Test
    void submit_thenRunOnce_launchesInTheCheapestPoolWithTokenAndProtocolTags() {
        h.submit(Harness.spec("train").maxPrice(0.045).build());

        h.step();

        assertThat(h.compute.alive()).hasSize(1);
        LaunchRequest req = h.compute.launchCalls().get(0);
        assertThat(req.clientToken()).isEqualTo("train-1");
        assertThat(req.availabilityZone()).isEqualTo("us-east-1a");
        assertThat(req.spot()).isTrue();
        assertThat(req.maxPrice()).contains(0.045);
        assertThat(req.tags()).containsEntry("spotkeeper:managed", "true").containsEntry("spotkeeper:workload", "train")
                .containsEntry("spotkeeper:generation", "1").containsEntry("spotkeeper:replaces", "");
        assertThat(req.userData()).contains("exec java -jar /opt/spotkeeper.jar agent --workload train"
                + " --agent-spec 's3://ckpt/train/train/agent-spec/1.json'").doesNotContain("sleep");
        AgentSpec agentSpec = AgentSpecJson.read("agent spec", new String(h.objects.object("ckpt",
                "train/train/agent-spec/1.json").orElseThrow(), StandardCharsets.UTF_8));
        assertThat(agentSpec.work()).isInstanceOfSatisfying(JobExtension.class,
                job -> assertThat(job.run()).isEqualTo("python train.py"));
        InstanceRecord r = h.head("train");
        assertThat(r.poolKey()).isEqualTo(Harness.A);
        assertThat(r.state()).isEqualTo(InstanceState.PENDING);
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.RUNNING);
    }

    @Test
    void launch_withMaxDuration_userDataCarriesAFailSafeShutdownTimer() {
        h.submit(Harness.spec("train").maxDuration(Duration.ofHours(2)).build());

        h.step();

        // Two hours from the job's start, which comes at the latest within the agent start timeout, plus the grace.
        String userData = h.compute.launchCalls().get(0).userData();
        assertThat(userData).contains("sleep 7830").contains("shutdown -h now");
    }

    @Test
    void failSafeTimer_onlyShutsDown_andNeverSignalsAPidThatMayHaveBeenReused() {
        h.submit(Harness.spec("train").maxDuration(Duration.ofHours(2)).build());

        h.step();

        String userData = h.compute.launchCalls().get(0).userData();
        // $$ names the user data's shell, which exec's the agent and may be long gone when the timer fires. The
        // timer allows the 2 h from the job's start, the agent start timeout before it (10 min) and the grace (30 s).
        assertThat(userData).contains("( sleep 7830 && shutdown -h now ) &\n").doesNotContain("kill");
    }

    @Test
    void runOnce_repeated_neverLaunchesASecondInstance() {
        h.submit(Harness.spec("train").build());

        for (int i = 0; i < 5; i++) {
            h.step();
            h.advance(Duration.ofMinutes(1));
        }

        assertThat(h.compute.all()).hasSize(1);
    }

    @Test
    void launch_whenPoolHasNoCapacity_triesTheNextPool() {
        h.compute.removeCapacity(Harness.A);
        h.submit(Harness.spec("train").build());

        h.step();

        assertThat(h.head("train").poolKey()).isEqualTo(Harness.B);
        assertThat(h.count(ControllerEvent.Kind.LAUNCH_FAILED)).isEqualTo(1);
        assertThat(h.compute.launchCalls().get(1).clientToken()).isEqualTo("train-1.1");
    }

    @Test
    void launch_whenNoPoolMeetsMaxPrice_waitsAndSaysWhy() {
        h.submit(Harness.spec("train").maxPrice(0.01).build());

        h.step();

        assertThat(h.compute.all()).isEmpty();
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.SUBMITTED);
        assertThat(h.events).anyMatch(e -> e.kind() == ControllerEvent.Kind.LAUNCH_FAILED
                && e.message().contains("no pool meets the requirements"));
    }

    @Test
    void launchOnGraviton_withoutAnArchitectureAsked_saysSoAndHowToPinX86() {
        dev.spotkeeper.core.market.InstanceType graviton = new dev.spotkeeper.core.market.InstanceType("m6g.large", 2,
                8, 0, dev.spotkeeper.core.market.Architecture.ofInstanceType("m6g.large"));
        h.market.set(new dev.spotkeeper.core.market.MarketSnapshot("test", Harness.T0, java.util.List.of(
                new dev.spotkeeper.core.market.PoolSignals(new dev.spotkeeper.core.market.Pool("us-east-1", "",
                        "us-east-1a", "m6g.large"), graviton, Harness.T0, 0.02, 0.077, 8, "test",
                        dev.spotkeeper.core.market.InterruptionBand.ofIndex(0)))));
        h.submit(Harness.spec("train").build());

        h.step();

        assertThat(h.events).filteredOn(e -> e.kind() == ControllerEvent.Kind.LAUNCHED).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("m6g.large is arm64 (Graviton), chosen because"
                        + " requirements.arch is not set").contains("arch: x86_64"));
    }

    @Test
    void launchOnX86_saysNothingOfTheArchitecture() {
        h.submit(Harness.spec("train").build());

        h.step();

        assertThat(h.events).filteredOn(e -> e.kind() == ControllerEvent.Kind.LAUNCHED).singleElement()
                .satisfies(e -> assertThat(e.message()).doesNotContain("arm64"));
    }

    @Test
    void stateChangeRunning_keepsPendingUntilTheAgentReports() {
        h.submit(Harness.spec("train").build());
        h.step();
        String id = h.head("train").instanceId();

        h.send(h.stateChange(id, "running"));
        h.step();
        assertThat(h.instance(id).state()).isEqualTo(InstanceState.PENDING);
        assertThat(h.events).as("the machine being up is news, not a problem")
                .noneMatch(e -> e.kind() == ControllerEvent.Kind.IGNORED_EVENT)
                .anySatisfy(e -> {
                    assertThat(e.kind()).isEqualTo(ControllerEvent.Kind.BOOTED);
                    assertThat(e.message()).isEqualTo("instance up; its agent starts");
                });

        h.send(h.report(id, "train", "started", Map.of()));
        h.step();
        assertThat(h.instance(id).state()).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    void agentThatNeverReports_failsTheWorkloadAfterTheStartTimeout() {
        h.submit(Harness.spec("train").build());
        h.step();
        String id = h.head("train").instanceId();
        h.compute.setState(id, "running");

        h.advance(Duration.ofMinutes(9));
        h.step();
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.RUNNING);

        h.advance(Duration.ofMinutes(2));
        h.step();
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.FAILED);
        assertThat(h.compute.alive()).isEmpty();
        assertThat(h.compute.all()).hasSize(1);
        assertThat(h.events).anyMatch(e -> e.message().contains("did not report within 10 min"));
    }

    @Test
    void agentExitedZero_succeedsAndTerminatesTheInstance() {
        h.submit(Harness.spec("train").build());
        h.step();
        String id = h.head("train").instanceId();
        h.send(h.report(id, "train", "started", Map.of()));
        h.send(h.report(id, "train", "progress", Map.of("progress", "0.5")));
        h.send(h.report(id, "train", "exited", Map.of("exitCode", "0", "results", "s3://r/train")));

        h.step();
        h.step();

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.SUCCEEDED);
        assertThat(h.workload("train").progress()).as("a job that succeeded did all of its work").isEqualTo(1.0);
        assertThat(h.compute.alive()).isEmpty();
        assertThat(h.instance(id).state()).isEqualTo(InstanceState.TERMINATED);
    }

    @Test
    void agentExitedNonZero_failsTheWorkloadWithoutRelaunching() {
        h.submit(Harness.spec("train").build());
        h.step();
        String id = h.head("train").instanceId();
        h.send(h.report(id, "train", "started", Map.of()));
        h.send(h.report(id, "train", "exited", Map.of("exitCode", "3")));

        h.step();
        h.step();

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.FAILED);
        assertThat(h.compute.all()).hasSize(1);
        assertThat(h.events).anyMatch(e -> e.message().contains("job exited with code 3"));
    }

    @Test
    void cancel_terminatesInstancesAndKeepsTheCheckpointReference() {
        h.submit(Harness.spec("train").build());
        h.step();
        String id = h.head("train").instanceId();
        h.send(h.report(id, "train", "checkpointed", Map.of("checkpoint", "ckpt-0000000001-" + id)));
        h.step();

        assertThat(h.controller.cancel("train")).isTrue();
        h.step();

        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.CANCELLED);
        assertThat(h.workload("train").lastCheckpoint()).isEqualTo("ckpt-0000000001-" + id);
        assertThat(h.compute.alive()).isEmpty();
    }

    @Test
    void terminatedWithoutWarning_isReplacedAndThePoolAvoided() {
        h.submit(Harness.spec("train").build());
        h.step();
        String id = h.head("train").instanceId();
        h.send(h.report(id, "train", "started", Map.of()));
        h.step();
        h.compute.setState(id, "terminated");
        h.send(h.stateChange(id, "terminated"));

        h.step();

        InstanceRecord next = h.head("train");
        assertThat(next.replaces()).isEqualTo(id);
        assertThat(h.instance(id).replacedBy()).isEqualTo(next.instanceId());
        assertThat(next.poolKey()).isNotEqualTo(Harness.A);
    }

    @Test
    void instancesThatDieAtStart_failTheWorkloadInsteadOfRelaunchingForever() {
        h.submit(Harness.spec("train").build());
        h.step();
        for (int i = 0; i < 30; i++) {
            h.advance(Duration.ofSeconds(20));
            for (var c : h.compute.alive()) {
                h.compute.setState(c.instanceId(), "terminated");
            }
            h.step();
        }

        assertThat(h.compute.all()).hasSize(3);
        assertThat(h.workload("train").status()).isEqualTo(WorkloadStatus.FAILED);
        assertThat(h.events).anyMatch(e -> e.message().contains("3 instances in a row ended within 120 s"));
    }

    @Test
    void submit_fleetKind_withoutFleets_isRefusedWithWhatIsSupported() {
        WorkloadSpec job = Harness.spec("web").build();
        WorkloadSpec fleet = new WorkloadSpec("web", job.requirements(), job.strategy(), job.limits(), job.image(),
                job.buckets(), job.relocation(), new FleetExtension(2, 0,
                new FleetExtension.Placement("price-capacity-optimized", 1), new FleetExtension.Service(8080,
                new FleetExtension.HealthCheck("/health", java.time.Duration.ofSeconds(5), 2, 2),
                java.time.Duration.ofSeconds(120)), "", "python3 -m http.server \"$PORT\""));

        assertThatThrownBy(() -> h.controller.submit(fleet))
                .isInstanceOfSatisfying(dev.spotkeeper.core.SpotkeeperException.class, e -> assertThat(e.code().type())
                        .isEqualTo(dev.spotkeeper.core.ErrorType.USER))
                .hasMessageContaining("kind: fleet needs Auto Scaling and a load balancer, which this control plane"
                        + " was built without; kind: job and kind: service run here");
        assertThat(h.store.workloads()).isEmpty();
    }

    @Test
    void submit_whileRunning_isRefused_butAFinishedWorkloadMayRunAgain() {
        h.submit(Harness.spec("train").build());
        h.step();

        assertThatThrownBy(() -> h.submit(Harness.spec("train").build())).hasMessageContaining("already running");

        h.controller.cancel("train");
        h.step();
        h.submit(Harness.spec("train").build());
        h.step();
        assertThat(h.compute.alive()).hasSize(1);
        assertThat(h.compute.launchCalls().get(h.compute.launchCalls().size() - 1).clientToken()).isEqualTo("train-2");
    }

    @Test
    void deadlineRule_withoutProgress_keepsSpotUntilTheSlackIsNearlyGone() {
        // A policy that always wants spot, so only the deadline rule under it decides.
        Harness h = new Harness("spot-one-zone");
        h.submit(Harness.spec("train").deadline(Duration.ofMinutes(11)).build());

        h.step();
        assertThat(h.head("train").spot()).isTrue();

        String id = h.head("train").instanceId();
        h.advance(Duration.ofMinutes(2));
        h.compute.setState(id, "terminated");
        h.send(h.stateChange(id, "terminated"));
        h.step();

        assertThat(h.head("train").spot()).isFalse();
    }

    @Test
    void runnerThread_keepsReconcilingUntilClosed() {
        h.submit(Harness.spec("train").build());

        try (Controller controller = h.controller) {
            controller.start(Duration.ofMillis(10));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> h.compute.all().size() == 1);
            String id = h.compute.all().get(0).instanceId();
            h.send(h.report(id, "train", "restored", Map.of()));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> h.instance(id).state() == InstanceState.RUNNING);
        }
        h.send(h.warning(h.compute.all().get(0).instanceId()));
        assertThat(h.queue.visibleCount()).as("a closed controller reads nothing more").isEqualTo(1);
    }
}
