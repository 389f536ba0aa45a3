package dev.spotkeeper.emulator.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.emulator.Emulator;
import dev.spotkeeper.emulator.services.fis.FisComponent;
import dev.spotkeeper.testkit.MutableClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateActionInput;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateTargetInput;
import software.amazon.awssdk.services.fis.model.ExperimentTemplateTargetInputFilter;

/**
 * FIS ids name templates and experiments in users' notes and scripts: a restarted emulator (the local plane after
 * `local stop` and `local start`) must not hand out an id an earlier one gave, even with the same seed and clock.
 */
class FisIdsTest {
    @TempDir
    Path work;

    @Test
    void templateAndExperimentIds_doNotRepeatAcrossRestarts_withTheSameSeedClockAndDirectory() throws Exception {
        List<String> first = ids();
        List<String> second = ids();

        assertThat(first.get(0)).startsWith("EXT");
        assertThat(first.get(1)).startsWith("EXP");
        assertThat(second).doesNotContainAnyElementsOf(first);
    }

    /** A template's and an experiment's id from a fresh emulator on the same seed, clock time and directory. */
    private List<String> ids() throws Exception {
        MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
        ServicesOptions options = ServicesOptions.defaults().withRegion(TestClients.REGION);
        try (Emulator emulator = Emulator.start(0, clock, 42, 1.0, work, List.of(new FakeInstanceControl(),
                new FisComponent(options)));
             FisClient fis = new TestClients(emulator.endpoint()).fis()) {
            CreateExperimentTemplateTargetInput target = CreateExperimentTemplateTargetInput.builder()
                    .resourceType("aws:ec2:spot-instance").resourceTags(Map.of("group", "g"))
                    .filters(ExperimentTemplateTargetInputFilter.builder().path("State.Name").values("running").build())
                    .selectionMode("ALL").build();
            String template = fis.createExperimentTemplate(b -> b.description("t").roleArn("arn:aws:iam::1:role/f")
                    .stopConditions(c -> c.source("none")).targets(Map.of("spot", target))
                    .actions(Map.of("interrupt", CreateExperimentTemplateActionInput.builder()
                            .actionId("aws:ec2:send-spot-instance-interruptions")
                            .targets(Map.of("SpotInstances", "spot")).build()))).experimentTemplate().id();
            String experiment = fis.startExperiment(b -> b.experimentTemplateId(template)).experiment().id();
            return List.of(template, experiment);
        }
    }
}
