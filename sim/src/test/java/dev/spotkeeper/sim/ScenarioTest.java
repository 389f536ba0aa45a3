package dev.spotkeeper.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioTest {
    @TempDir
    Path dir;

    @Test
    void crossArea_hasTheB2ZonesWindowsAndJob() {
        Scenario s = Scenarios.builtIn(Scenarios.CROSS_AREA);
        assertThat(s.trace().zones()).containsExactly("us-east-1c", "us-east-2b", "us-west-2a");
        assertThat(s.windowStarts()).hasSize(5);
        assertThat(s.windowStarts().get(0) * s.trace().gapHours()).isCloseTo(179.725, org.assertj.core.data.Offset.offset(0.06));
        assertThat(s.job()).isEqualTo(JobSpec.B2);
        JobModel m = s.model();
        assertThat(m.workTicks() * m.tickHours()).isGreaterThanOrEqualTo(s.job().workHours());
        assertThat(m.deadlineTicks() * m.tickHours()).isLessThanOrEqualTo(s.job().deadlineHours());
    }

    @Test
    void allZones_drawsTheSameHundredWindowsEveryTime_allInsideTheTrace() {
        Scenario a = Scenarios.builtIn(Scenarios.ALL_ZONES);
        Scenario b = Scenarios.builtIn(Scenarios.ALL_ZONES);
        assertThat(a.windowStarts()).hasSize(100).isEqualTo(b.windowStarts());
        int length = a.model().deadlineTicks();
        assertThat(a.windowStarts()).allMatch(s -> s >= 0 && s + length <= a.trace().ticks());
    }

    @Test
    void unknownScenario_suggestsABuiltIn() {
        assertThatThrownBy(() -> Scenarios.builtIn("v100-cross-aera")).hasMessageContaining("did you mean v100-cross-area");
    }

    @Test
    void deadlineShorterThanTheWork_isRefusedWithTheNumbers() {
        assertThatThrownBy(() -> new JobSpec(40, 30, 0.2, 50)).isInstanceOf(SpotkeeperException.class)
                .hasMessageContaining("30.0000 h").hasMessageContaining("40.0000 h");
    }

    @Test
    void yamlFile_readsFlatKeysAndBothListStyles() throws IOException {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                # my experiment
                name: two-east-zones
                zones:
                  - us-east-2a
                  - us-east-2b   # the cheap one
                window-starts-hours: [10, 200.5]
                work-hours: 10
                deadline-hours: 15
                checkpoint-gb: 20
                """);
        Scenario s = ScenarioFile.read(f);
        assertThat(s.name()).isEqualTo("two-east-zones");
        assertThat(s.trace().zones()).containsExactly("us-east-2a", "us-east-2b");
        assertThat(s.windowStarts()).hasSize(2);
        assertThat(s.job().workHours()).isEqualTo(10);
        assertThat(s.homeZone()).isEqualTo("us-east-2a");
    }

    @Test
    void yamlFile_withAnUnknownKey_namesTheLineAndSuggests() throws IOException {
        Path f = dir.resolve("typo.yaml");
        Files.writeString(f, "name: x\nwork-hour: 10\n");
        assertThatThrownBy(() -> ScenarioFile.read(f)).hasMessageContaining(f + ":2")
                .hasMessageContaining("unknown key 'work-hour'").hasMessageContaining("did you mean work-hours");
    }

    @Test
    void yamlFile_withADeadlineShorterThanTheWork_isRefusedWithTheNumbersAndTheLine() throws IOException {
        Path f = dir.resolve("late.yaml");
        Files.writeString(f, "work-hours: 20\ndeadline-hours: 10\n");
        assertThatThrownBy(() -> ScenarioFile.read(f)).hasMessageContaining(f + ":2")
                .hasMessageContaining("10.0000 h").hasMessageContaining("20.0000 h");
    }

    @Test
    void yamlFile_withAWindowPastTheTraceEnd_isRefused() throws IOException {
        Path f = dir.resolve("late-window.yaml");
        Files.writeString(f, "window-starts-hours: [1090]\n");
        assertThatThrownBy(() -> ScenarioFile.read(f)).hasMessageContaining(f + ":1")
                .hasMessageContaining("window starting");
    }

    @Test
    void jsonFile_withItsOwnTrace_runs() throws IOException {
        Files.writeString(dir.resolve("trace.json"), """
                {"gap-seconds": 3600, "on-demand-price": 3,
                 "zones": [{"zone": "us-east-1a", "availability": [1,1,0,0,1,1,1,1], "price": 1}]}""");
        Path f = dir.resolve("s.json");
        Files.writeString(f, """
                {"trace": "trace.json", "work-hours": 3, "deadline-hours": 6, "restart-overhead-hours": 1,
                 "window-starts-hours": [0, 2]}""");
        Scenario s = ScenarioFile.read(f);
        ReplayResult r = Replay.run(s, Replay.POLICIES, 0, 1, n -> { });
        assertThat(r.rows()).hasSize(2);
        assertThat(r.summaries()).allMatch(x -> x.meanCost() > 0);
    }

    @Test
    void bambooTrace_replaysAShortJob_andTooLongAJobIsRefused() throws IOException {
        Path f = dir.resolve("bamboo.yaml");
        Files.writeString(f, "trace: bamboo-p3\nwork-hours: 2\ndeadline-hours: 4\nrestart-overhead-hours: 0.1\n"
                + "windows: 3\nseed: 2\nspot-price: 0.9\n");
        Scenario s = ScenarioFile.read(f);
        ReplayResult r = Replay.run(s, List.of("greedy", "spotkeeper", "optimal"), -1, 1, n -> { });
        assertThat(r.summaries()).allMatch(x -> x.misses() == 0);

        Path tooLong = dir.resolve("bamboo-long.yaml");
        Files.writeString(tooLong, "trace: bamboo-p3\n");
        assertThatThrownBy(() -> ScenarioFile.read(tooLong)).hasMessageContaining(tooLong.toString())
                .hasMessageContaining("shorter than the deadline");
    }
}
