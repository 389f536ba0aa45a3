package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.workload.AgentSpecJson;
import dev.spotkeeper.core.workload.JobExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDataTest {
    /** The marker the user data's heredoc used to end at, and the usual ones: none may mean anything now. */
    private static final List<String> MARKERS = List.of("SPOTKEEPER_SPEC_END", "EOF", "'", "\"", "`", "$(touch pwned)");

    private static String hugeSetup() {
        StringBuilder s = new StringBuilder();
        int i = 0;
        while (s.length() < 100 * 1024) {
            s.append("echo step ").append(i++).append(" && pip install package-").append(i).append('\n');
        }
        for (String marker : MARKERS) {
            s.append(marker).append('\n');
        }
        return s + "touch pwned\n";
    }

    @Test
    void userData_withA100KbSetupAndMarkerLines_staysSmall_andHoldsNoSpecText() {
        Harness h = new Harness();
        String setup = hugeSetup();
        h.submit(Harness.spec("train").setup(setup).maxDuration(Duration.ofHours(2)).build());

        h.step();

        String userData = h.compute.launchCalls().get(0).userData();
        assertThat(userData.getBytes(StandardCharsets.UTF_8).length).isLessThan(4096);
        assertThat(userData).doesNotContain("pip install").doesNotContain("touch pwned").doesNotContain("<<");
        assertThat(userData.lines()).doesNotContainAnyElementsOf(MARKERS);
        byte[] stored = h.objects.object("ckpt", "train/train/agent-spec/1.json").orElseThrow();
        assertThat(AgentSpecJson.read("agent spec", new String(stored, StandardCharsets.UTF_8)).work())
                .isInstanceOfSatisfying(JobExtension.class, job -> assertThat(job.setup()).isEqualTo(setup));
    }

    @Test
    void userData_run_byAShell_startsTheAgentWithTheReferenceAsOneWord_andRunsNothingElse(@TempDir Path dir)
            throws IOException, InterruptedException {
        // The agent command is replaced by one that prints its arguments, one a line.
        Harness h = new Harness("spotkeeper", c -> ControllerConfig.defaults("ami-test", "printf '%s\\n'")
                .withScanRegions(c.scanRegions()).withSchedulingPolicy(c.schedulingPolicy()).withAccount(c.account()));
        String prefix = "s3://ckpt/it's $(touch pwned) `touch pwned` \"q\"";
        h.submit(Harness.spec("train").setup(hugeSetup()).checkpoints(prefix).build());

        h.step();

        String userData = h.compute.launchCalls().get(0).userData();
        Path script = Files.writeString(dir.resolve("user-data"), userData);
        Process p = new ProcessBuilder("/bin/sh", script.toString()).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(Arrays.asList(out.split("\n"))).containsExactly("agent", "--workload", "train", "--agent-spec",
                prefix + "/train/agent-spec/1.json");
        assertThat(dir.resolve("pwned")).doesNotExist();
        assertThat(h.objects.object("ckpt", "it's $(touch pwned) `touch pwned` \"q\"/train/agent-spec/1.json"))
                .isPresent();
    }
}
