package dev.spotkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path scenario() throws IOException {
        Files.writeString(dir.resolve("trace.json"), """
                {"gap-seconds": 3600, "on-demand-price": 3,
                 "zones": [{"zone": "us-east-1a", "availability": [1,1,0,0,1,1,1,1,1,1], "price": 1},
                           {"zone": "us-west-2a", "availability": [0,1,1,1,1,1,0,0,1,1], "price": 1.5}]}""");
        Path s = dir.resolve("tiny.yaml");
        Files.writeString(s, """
                name: tiny
                trace: trace.json
                work-hours: 3
                deadline-hours: 6
                restart-overhead-hours: 1
                checkpoint-gb: 0
                window-starts-hours: [0, 1, 2, 3]
                """);
        return s;
    }

    @Test
    void replay_printsATablePerScenario_writesCsvAndCharts_andShowsProgress() throws IOException {
        Path out = dir.resolve("results");
        Run r = run("replay", "--scenario", scenario().toString(), "--out", out.toString(), "--timeline-window", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("tiny (honest").contains("): 4 windows").contains("mean cost").contains("÷ on-demand");
        for (String policy : List.of("on-demand", "spot-one-zone", "greedy", "uniform-progress", "failover",
                "spotkeeper", "optimal")) {
            assertThat(r.out()).contains(policy);
        }
        assertThat(r.err()).contains("4/4 windows").contains("[");
        List<String> csv = Files.readAllLines(out.resolve("tiny-windows.csv"));
        assertThat(csv.get(0)).startsWith("window,start_hours,information,policy,cost_usd");
        assertThat(csv).hasSize(1 + 4 * 7);
        assertThat(Files.readString(out.resolve("tiny-cost.svg"))).startsWith("<svg").contains("spotkeeper");
        String timeline = Files.readString(out.resolve("tiny-timeline.svg"));
        assertThat(timeline).contains("window 1").contains("us-west-2a").contains("optimal $");
    }

    @Test
    void replay_ofTheCrossAreaScenario_reportsTheB2Goals() {
        Run r = run("replay", "--scenario", "v100-cross-area", "--policies", "failover,spotkeeper,optimal",
                "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("v100-cross-area (honest").contains("): 5 windows").contains("B2 goals for spotkeeper");
    }

    @Test
    void bound_printsPerDeadlineAndZoneTheBestOnlinePolicyAgainstTheOptimum() throws IOException {
        Run r = run("replay", "--scenario", scenario().toString(), "--bound", "1.5,2", "--bound-samples", "20",
                "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("tiny: a lower bound for every online policy").contains("best online")
                .contains("ratio ≥").contains("20 traces");
        assertThat(r.out().lines().filter(l -> l.startsWith("1.50 ") || l.startsWith("2.00 ")).count()).isEqualTo(4);
        Run bad = run("replay", "--scenario", scenario().toString(), "--bound", "1", "--out", dir.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--bound 1.0 is not above the work");
    }

    @Test
    void unknownPolicy_exitsTwoWithASuggestion() {
        Run r = run("replay", "--scenario", "v100-cross-area", "--policies", "greedy,spotkeepr", "--out", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown policy 'spotkeepr'").contains("did you mean spotkeeper");
    }

    @Test
    void missingScenarioFile_exitsTwoNamingIt() {
        Run r = run("replay", "--scenario", dir.resolve("nope.yaml").toString(), "--out", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("nope.yaml").contains("no such scenario file");
    }

    @Test
    void scenarioWithADeadlineShorterThanTheWork_isRefusedWithTheNumbers() throws IOException {
        Path s = dir.resolve("late.yaml");
        Files.writeString(s, "work-hours: 40\ndeadline-hours: 30\n");
        Run r = run("replay", "--scenario", s.toString(), "--out", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("30.0000 h").contains("40.0000 h").doesNotContain("Exception");
    }

    @Test
    void replay_withSweeps_printsATableAndWritesACsvAndAChartPerSweep() throws IOException {
        Path out = dir.resolve("sweeps");
        Run r = run("replay", "--scenario", scenario().toString(), "--policies", "greedy,failover,spotkeeper",
                "--sweep", "deadline=1.5,2", "--sweep", "checkpoint-gb=0,10", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("tiny, deadline sweep (honest").contains("tiny, checkpoint-gb sweep (honest")
                .contains("deadline ÷ work").contains("checkpoint GB").contains("B2 goals");
        // The optimum is added: a sweep reports every policy against it.
        List<String> csv = Files.readAllLines(out.resolve("tiny-sweep-deadline.csv"));
        assertThat(csv.get(0)).isEqualTo("axis,value,information,policy,mean_cost_usd,cost_vs_optimal,cost_vs_on_demand,"
                + "misses,windows,mean_migrations,mean_spot_hours,mean_refused_launches");
        assertThat(csv).hasSize(1 + 2 * 4).anyMatch(l -> l.startsWith("deadline,1.5,honest,optimal,") && l.contains(",1.0000,"));
        assertThat(Files.readString(out.resolve("tiny-sweep-checkpoint-gb.svg"))).startsWith("<svg").contains("spotkeeper")
                .contains("<polyline");
        assertThat(r.err()).contains("16/16 windows");
    }

    @Test
    void replay_allSeeing_saysSo_andKeepsItsFilesApart() throws IOException {
        Run r = run("replay", "--scenario", scenario().toString(), "--information", "all-seeing", "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("tiny (all-seeing: every zone's availability shown)").doesNotContain("refused launches");
        assertThat(dir.resolve("tiny-all-seeing-summary.csv")).exists();
        assertThat(Files.readAllLines(dir.resolve("tiny-all-seeing-summary.csv")).get(1)).contains(",all-seeing,")
                .contains(",us-east-1,");
    }

    @Test
    void replay_ofOneZone_printsNoFailoverGoal() throws IOException {
        scenario();
        Path one = dir.resolve("one.yaml");
        Files.writeString(one, "trace: trace.json\nzones: [us-east-1a]\nwork-hours: 3\ndeadline-hours: 6\n"
                + "restart-overhead-hours: 1\ncheckpoint-gb: 0\nwindow-starts-hours: [0, 2]\n");
        Run r = run("replay", "--scenario", one.toString(), "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("no failover goal with one zone").doesNotContain("goal ≤ 0.90");
    }

    @Test
    void badSweepOrMode_exitsTwoWithTheFix() throws IOException {
        Run axis = run("replay", "--scenario", scenario().toString(), "--sweep", "zone=1..2", "--out", dir.toString());
        assertThat(axis.exit()).isEqualTo(2);
        assertThat(axis.err()).contains("unknown axis 'zone'").contains("did you mean zones").doesNotContain("Exception");
        Run mode = run("replay", "--scenario", scenario().toString(), "--information", "honset", "--out", dir.toString());
        assertThat(mode.exit()).isEqualTo(2);
        assertThat(mode.err()).contains("unknown information mode 'honset'").contains("did you mean honest");
        Run zones = run("replay", "--scenario", scenario().toString(), "--sweep", "zones=3", "--out", dir.toString());
        assertThat(zones.exit()).isEqualTo(2);
        assertThat(zones.err()).contains("has only 2 zones");
    }
}
