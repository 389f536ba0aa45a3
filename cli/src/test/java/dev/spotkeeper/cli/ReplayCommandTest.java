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
        assertThat(r.out()).contains("tiny: 4 windows").contains("mean cost").contains("÷ on-demand");
        for (String policy : List.of("on-demand", "spot-one-zone", "greedy", "uniform-progress", "failover",
                "spotkeeper", "optimal")) {
            assertThat(r.out()).contains(policy);
        }
        assertThat(r.err()).contains("4/4 windows").contains("[");
        List<String> csv = Files.readAllLines(out.resolve("tiny-windows.csv"));
        assertThat(csv.get(0)).startsWith("window,start_hours,policy,cost_usd");
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
        assertThat(r.out()).contains("v100-cross-area: 5 windows").contains("B2 goals for spotkeeper");
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
}
