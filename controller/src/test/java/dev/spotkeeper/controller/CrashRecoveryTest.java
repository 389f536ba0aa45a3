package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.cloud.LaunchRequest;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CrashRecoveryTest {
    private final Harness h = new Harness();

    @Test
    void lostLaunchResponse_nextPassAdoptsTheInstance_noDuplicate() {
        h.submit(Harness.spec("train").build());
        h.compute.loseNextLaunchResponses(1);

        RunSummary s = h.step();
        assertThat(s.failed()).isEqualTo(1);

        h.controller = h.newController();
        h.step();
        h.step();

        assertThat(h.compute.all()).hasSize(1);
        assertThat(h.instances("train")).hasSize(1);
        assertThat(h.events).anyMatch(e -> e.kind() == ControllerEvent.Kind.ADOPTED);
    }

    @Test
    void lostLaunchResponse_retryWithSameTokenReturnsTheSameInstance() {
        h.submit(Harness.spec("train").build());
        h.compute.loseNextLaunchResponses(1);
        h.step();

        h.step();

        assertThat(h.compute.all()).hasSize(1);
        assertThat(h.instances("train")).hasSize(1);
        assertThat(h.compute.launchCalls()).extracting(LaunchRequest::clientToken).allMatch("train-1"::equals);
    }

    @Test
    void crashBetweenAtRiskAndReplacement_newControllerFinishesTheMove() {
        h.submit(Harness.spec("train").build());
        h.step();
        String first = h.head("train").instanceId();
        h.send(h.report(first, "train", "restored", Map.of()));
        h.step();
        h.compute.setThrottled(true);
        h.send(h.warning(first));
        h.step();
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.AT_RISK);
        h.compute.setThrottled(false);

        h.controller = h.newController();
        h.step();

        InstanceRecord old = h.instance(first);
        assertThat(old.state()).isEqualTo(InstanceState.EVACUATING);
        assertThat(old.replacedBy()).isNotEmpty();
        assertThat(h.compute.all()).hasSize(2);
        assertThat(h.compute.instance(first).tags()).containsKey("spotkeeper:evacuate");
    }

    @Test
    void replacementLaunchedButNotLinked_isAdoptedAndLinkedFromItsTag() {
        h.submit(Harness.spec("train").build());
        h.step();
        String first = h.head("train").instanceId();
        h.send(h.report(first, "train", "restored", Map.of()));
        h.step();
        h.send(h.warning(first));
        h.compute.loseNextLaunchResponses(1);
        h.step();

        h.controller = h.newController();
        h.step();
        h.step();

        assertThat(h.compute.all()).hasSize(2);
        String second = h.instance(first).replacedBy();
        assertThat(h.instance(second).replaces()).isEqualTo(first);
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.EVACUATING);
    }

    /**
     * A controller that stopped between recording the replacement and naming it on the instance it replaces (or a
     * second controller whose pass read the store in that window, as {@code TwoControllersTest} did once in a few
     * hundred runs): the next pass takes the recorded replacement instead of launching generation 3.
     */
    @Test
    void replacementRecordedButNotNamedOnTheOldInstance_isTaken_andNothingMoreIsLaunched() {
        h.submit(Harness.spec("train").build());
        h.step();
        String first = h.head("train").instanceId();
        h.send(h.report(first, "train", "restored", Map.of()));
        h.step();
        h.send(h.warning(first));
        h.step();
        InstanceRecord linked = h.instance(first);
        String second = linked.replacedBy();
        assertThat(second).isNotEmpty();
        // The store as it was between the two writes: the replacement recorded, the old instance at risk naming none.
        assertThat(h.store.updateInstance(new InstanceRecord(linked.instanceId(), linked.workload(), linked.poolKey(),
                linked.spot(), linked.pricePerHour(), InstanceState.AT_RISK, linked.replaces(), "",
                linked.launchedAt(), linked.updatedAt(), linked.version(), linked.interruptedAt(), linked.start(),
                linked.committed(), linked.role(), linked.slot()))).isTrue();

        h.controller = h.newController();
        h.step();
        h.step();

        assertThat(h.compute.launchCalls().stream().map(LaunchRequest::clientToken).distinct())
                .containsExactly("train-1", "train-2");
        assertThat(h.compute.all()).hasSize(2);
        assertThat(h.instance(first).replacedBy()).isEqualTo(second);
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.EVACUATING);
    }

    @Test
    void restart_terminatesManagedInstancesOfNoKnownWorkload() {
        CloudInstance stray = h.compute.launch(new LaunchRequest("ghost-1", "us-east-1", "us-east-1a", "m5.large",
                true, Optional.empty(), "ami-test", "", Map.of("spotkeeper:managed", "true",
                "spotkeeper:workload", "ghost")));
        h.submit(Harness.spec("train").build());

        h.step();

        assertThat(h.compute.instance(stray.instanceId()).state()).isEqualTo("terminated");
        assertThat(h.compute.alive()).hasSize(1);
    }

    @Test
    void restartAtEveryStepOfAnInterruption_neverDuplicatesOrLeaks() {
        h.submit(Harness.spec("train").build());
        h.step();
        h.controller = h.newController();
        h.step();
        String first = h.head("train").instanceId();
        h.send(h.report(first, "train", "restored", Map.of()));
        h.controller = h.newController();
        h.step();
        h.send(h.warning(first));
        h.send(h.warning(first));
        h.controller = h.newController();
        h.step();
        h.controller = h.newController();
        h.step();
        String second = h.instance(first).replacedBy();
        h.send(h.report(first, "train", "evacuated", Map.of()));
        h.queue.redeliverInFlight();
        h.controller = h.newController();
        h.step();
        h.controller = h.newController();
        h.step();
        h.advance(Duration.ofMinutes(5));
        h.step();

        assertThat(h.compute.all()).hasSize(2);
        assertThat(h.compute.alive()).extracting(CloudInstance::instanceId).containsExactly(second);
        assertThat(h.head("train").instanceId()).isEqualTo(second);
    }

    @Test
    void twoLiveHeads_keepsTheNewestAndTerminatesTheOther() {
        h.submit(Harness.spec("train").build());
        h.step();
        String first = h.head("train").instanceId();
        CloudInstance extra = h.compute.launch(new LaunchRequest("train-2", "us-east-1", "us-east-1b", "m5.large",
                true, Optional.empty(), "ami-test", "", Map.of("spotkeeper:managed", "true",
                "spotkeeper:workload", "train", "spotkeeper:generation", "2", "spotkeeper:replaces", "")));
        h.advance(Duration.ofSeconds(1));
        h.controller = h.newController();

        h.step();

        assertThat(h.compute.instance(first).state()).isEqualTo("terminated");
        assertThat(h.compute.alive()).extracting(CloudInstance::instanceId).containsExactly(extra.instanceId());
    }

    @Test
    void firstPassOfANewController_adoptsBeforeReadingEventsAboutTheAdoptedInstance() {
        h.submit(Harness.spec("train").build());
        CloudInstance launched = h.compute.launch(new LaunchRequest("train-1", "us-east-1", "us-east-1a", "m5.large",
                true, Optional.empty(), "ami-test", "", Map.of("spotkeeper:managed", "true",
                "spotkeeper:workload", "train", "spotkeeper:generation", "1", "spotkeeper:replaces", "")));
        h.send(h.report(launched.instanceId(), "train", "restored", Map.of()));

        h.controller = h.newController();
        RunSummary s = h.step();

        assertThat(s.ignored()).isZero();
        assertThat(s.handled()).isEqualTo(1);
        assertThat(h.instance(launched.instanceId()).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.compute.all()).hasSize(1);
    }
}
