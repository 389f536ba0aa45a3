package dev.spotkeeper.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.SpotkeeperException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweepTest {
    private static final Scenario ALL = Scenarios.builtIn(Scenarios.ALL_ZONES).withWindows(Windows.random(12, 3));

    @Test
    void parse_readsListsAndWholeNumberRanges() {
        assertThat(Sweep.parse("zones=1..3,5").values()).containsExactly(1.0, 2.0, 3.0, 5.0);
        Sweep d = Sweep.parse("deadline=1.05, 1.5,3");
        assertThat(d.axis()).isEqualTo(Sweep.Axis.DEADLINE);
        assertThat(d.values()).containsExactly(1.05, 1.5, 3.0);
        assertThat(Sweep.format(1.05)).isEqualTo("1.05");
        assertThat(Sweep.format(4000)).isEqualTo("4000");
    }

    @Test
    void parse_refusesUnknownAxesAndValuesThatCannotBe() {
        assertThatThrownBy(() -> Sweep.parse("deadlines=2")).isInstanceOf(SpotkeeperException.class)
                .hasMessageContaining("unknown axis 'deadlines'").hasMessageContaining("did you mean deadline");
        assertThatThrownBy(() -> Sweep.parse("deadline=1,2")).hasMessageContaining("greater than 1");
        assertThatThrownBy(() -> Sweep.parse("zones=0..2")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> Sweep.parse("checkpoint-gb=fifty")).hasMessageContaining("'fifty' is not a number");
        assertThatThrownBy(() -> Sweep.parse("zones")).hasMessageContaining("AXIS=VALUES");
    }

    @Test
    void deadlineSweep_replaysTheSameWindowsAtEveryPoint_eachWithItsDeadline() {
        List<Sweep.Point> points = Sweep.parse("deadline=1.05,3").points(ALL);
        assertThat(points).hasSize(2);
        List<Integer> first = points.get(0).cases().stream().map(Replay.Case::start).toList();
        List<Integer> last = points.get(1).cases().stream().map(Replay.Case::start).toList();
        assertThat(first).hasSize(12).isEqualTo(last);
        assertThat(points.get(0).scenario().job().deadlineHours()).isEqualTo(1.05 * JobSpec.B2.workHours());
        assertThat(points.get(1).scenario().job().deadlineHours()).isEqualTo(3 * JobSpec.B2.workHours());
        int longest = points.get(1).scenario().model().deadlineTicks();
        assertThat(last).allMatch(t -> t + longest <= ALL.trace().ticks());
    }

    @Test
    void zoneSweep_givesEachWindowThatManyZones_drawnTheSameWayEveryTime() {
        List<Sweep.Point> a = Sweep.parse("zones=1,3,9").points(ALL);
        List<Sweep.Point> b = Sweep.parse("zones=1,3,9").points(ALL);
        Set<List<String>> distinct = new HashSet<>();
        for (int p = 0; p < 3; p++) {
            int n = (int) (double) a.get(p).value();
            for (int w = 0; w < 12; w++) {
                List<String> zones = a.get(p).cases().get(w).scenario().trace().zones();
                assertThat(zones).hasSize(n).isEqualTo(b.get(p).cases().get(w).scenario().trace().zones());
                assertThat(a.get(p).cases().get(w).scenario().trace().zones()).contains(
                        a.get(p).cases().get(w).scenario().homeZone());
                if (n == 3) {
                    distinct.add(zones);
                }
            }
        }
        assertThat(distinct).as("windows draw different zone sets").hasSizeGreaterThan(1);
        assertThatThrownBy(() -> Sweep.parse("zones=10").points(ALL)).hasMessageContaining("has only 9 zones");
    }

    @Test
    void checkpointSweep_changesOnlyTheCheckpoint() {
        List<Sweep.Point> points = Sweep.parse("checkpoint-gb=0,4000").points(ALL);
        assertThat(points.get(1).scenario().job().checkpointGb()).isEqualTo(4000);
        assertThat(points.get(1).scenario().job().deadlineHours()).isEqualTo(ALL.job().deadlineHours());
        JobModel m = points.get(1).scenario().model();
        assertThat(m.egress(m.regionIndex("us-east-1"), m.regionIndex("us-west-2"))).isEqualTo(80);
    }
}
