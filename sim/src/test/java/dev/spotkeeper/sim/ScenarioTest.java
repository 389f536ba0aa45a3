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
        ReplayResult r = Replay.run(s, Replay.POLICIES, Information.HONEST, 0, 1, n -> { });
        assertThat(r.rows()).hasSize(2);
        assertThat(r.summaries()).allMatch(x -> x.meanCost() > 0);
    }

    @Test
    void bambooTrace_replaysAShortJob_andTooLongAJobIsRefused() throws IOException {
        Path f = dir.resolve("bamboo.yaml");
        Files.writeString(f, "trace: bamboo-p3\nwork-hours: 2\ndeadline-hours: 4\nrestart-overhead-hours: 0.1\n"
                + "windows: 3\nseed: 2\nspot-price: 0.9\n");
        Scenario s = ScenarioFile.read(f);
        ReplayResult r = Replay.run(s, List.of("greedy", "spotkeeper", "optimal"), Information.HONEST, -1, 1, n -> { });
        assertThat(r.summaries()).allMatch(x -> x.misses() == 0);

        Path tooLong = dir.resolve("bamboo-long.yaml");
        Files.writeString(tooLong, "trace: bamboo-p3\n");
        assertThatThrownBy(() -> ScenarioFile.read(tooLong)).hasMessageContaining(tooLong.toString())
                .hasMessageContaining("shorter than the deadline");
    }

    private void twoRegionTrace() throws IOException {
        Files.writeString(dir.resolve("two.json"), """
                {"gap-seconds": 3600, "on-demand-price": 3,
                 "zones": [{"zone": "us-east-1a", "availability": [0,0,0,0,0,0,0,0,0,0], "price": 1},
                           {"zone": "us-west-2a", "availability": [0,0,0,0,0,0,0,0,0,0], "price": 1}]}""");
    }

    @Test
    void onDemandPricePerRegion_isWhatOnDemandPays_andItsFirstStartGoesToTheCheaperRegion() throws IOException {
        twoRegionTrace();
        Path f = dir.resolve("od.yaml");
        Files.writeString(f, """
                trace: two.json
                on-demand-price: [us-east-1=3, us-west-2=2.5]
                work-hours: 3
                deadline-hours: 6
                restart-overhead-hours: 1
                checkpoint-gb: 0
                window-starts-hours: [0]
                """);
        Scenario s = ScenarioFile.read(f);
        JobModel m = s.model();
        assertThat(m.onDemandPrice(m.regionIndex("us-west-2"))).isEqualTo(2.5);
        assertThat(m.regions().get(m.cheapestOnDemandRegion())).isEqualTo("us-west-2");
        ReplayResult r = Replay.run(s, List.of("on-demand", "optimal"), Information.HONEST, -1, 1, n -> { });
        RunResult onDemand = r.rows().get(0).get(0);
        assertThat(onDemand.onDemandRegions()).isEqualTo("us-west-2");
        assertThat(onDemand.cost()).isEqualTo(4 * 2.5);
        assertThat(r.rows().get(0).get(1).cost()).isEqualTo(4 * 2.5);
        assertThat(r.onDemandCost()).isEqualTo(4 * 2.5);
    }

    @Test
    void onDemandPrice_thatNamesNoZoneOrRegion_isRefusedWithTheLine() throws IOException {
        twoRegionTrace();
        Path f = dir.resolve("od-typo.yaml");
        Files.writeString(f, "trace: two.json\nwork-hours: 3\non-demand-price: [us-west-3=2.5]\n");
        assertThatThrownBy(() -> ScenarioFile.read(f)).hasMessageContaining(f + ":3")
                .hasMessageContaining("'us-west-3' is neither a zone nor a region").hasMessageContaining("did you mean us-west-2");
        Path g = dir.resolve("od-form.yaml");
        Files.writeString(g, "trace: two.json\non-demand-price: [us-west-2]\n");
        assertThatThrownBy(() -> ScenarioFile.read(g)).hasMessageContaining(g + ":2").hasMessageContaining("REGION=PRICE");
    }

    @Test
    void transferTime_canBeSetOrTurnedOff() throws IOException {
        Path on = dir.resolve("slow.yaml");
        Files.writeString(on, "zones: [us-east-1a, us-west-2a]\ncheckpoint-gb: 4000\ncross-region-gbps: 1\nwindows: 1\n");
        JobModel slow = ScenarioFile.read(on).model();
        int east = slow.regionIndex("us-east-1");
        int west = slow.regionIndex("us-west-2");
        // 0.2 h restart + 4000 GB × 8 / 1 Gbit/s − 4000 × 8 / 9.72 (about 8.0 h) in 195 s ticks.
        assertThat(slow.startTicks(east, west)).isGreaterThan(140);
        Path off = dir.resolve("off.yaml");
        Files.writeString(off, "zones: [us-east-1a, us-west-2a]\ncheckpoint-gb: 4000\ntransfer-time: off\nwindows: 1\n");
        JobModel free = ScenarioFile.read(off).model();
        assertThat(free.startTicks(east, west)).isEqualTo(free.startTicks(east, east));
        Path both = dir.resolve("both.yaml");
        Files.writeString(both, "transfer-time: off\ncross-region-gbps: 2\n");
        assertThatThrownBy(() -> ScenarioFile.read(both)).hasMessageContaining(both + ":1").hasMessageContaining("transfer-time is off");
    }

    @Test
    void handOver_isOnUnlessTurnedOff_andAnythingElseIsRefusedAtItsLine() throws IOException {
        Path plain = dir.resolve("plain.yaml");
        Files.writeString(plain, "windows: 1\n");
        assertThat(ScenarioFile.read(plain).model().handOver()).isTrue();
        Path off = dir.resolve("no-hand-over.yaml");
        Files.writeString(off, "windows: 1\nhand-over: off\n");
        assertThat(ScenarioFile.read(off).model().handOver()).isFalse();
        Path bad = dir.resolve("bad-hand-over.yaml");
        Files.writeString(bad, "windows: 1\nhand-over: maybe\n");
        assertThatThrownBy(() -> ScenarioFile.read(bad)).hasMessageContaining(bad + ":2")
                .hasMessageContaining("'hand-over' must be on or off");
    }

    @Test
    void windowsFromAndTo_drawEveryStartInThatRange() throws IOException {
        Path f = dir.resolve("range.yaml");
        Files.writeString(f, "windows: 30\nseed: 4\nwindows-from-hours: 500\nwindows-to-hours: 600\n");
        Scenario s = ScenarioFile.read(f);
        assertThat(s.windowStarts()).hasSize(30)
                .allMatch(t -> t * s.trace().gapHours() >= 500 - 1e-6 && t * s.trace().gapHours() <= 600 + 1e-6);
        Path late = dir.resolve("late-range.yaml");
        Files.writeString(late, "windows: 3\nwindows-from-hours: 1080\n");
        assertThatThrownBy(() -> ScenarioFile.read(late)).hasMessageContaining(late.toString()).hasMessageContaining("no window");
    }

    @Test
    void halves_drawTheirWindowsFromTheirOwnHalfOfTheTrace() {
        Scenario first = Scenarios.builtIn(Scenarios.FIRST_HALF);
        Scenario second = Scenarios.builtIn(Scenarios.SECOND_HALF);
        double half = first.trace().ticks() * first.trace().gapHours() / 2;
        assertThat(first.windowStarts()).hasSize(50).allMatch(t -> t * first.trace().gapHours() <= half);
        assertThat(second.windowStarts()).hasSize(50).allMatch(t -> t * second.trace().gapHours() >= half - 1e-6);
    }
}
