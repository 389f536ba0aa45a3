package dev.spotkeeper.agent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.agent.AgentSettings;
import dev.spotkeeper.agent.s3.S3Location;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.workload.AgentSpec;
import dev.spotkeeper.core.workload.AgentSpecJson;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {
    @TempDir
    Path dir;

    private static AgentSettings settings(String... args) {
        AgentCommand command = new AgentCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void agentSpec_suppliesBucketsCommandsAndCheckpointSettings_andOptionsWin() throws Exception {
        Path spec = dir.resolve("train.json");
        WorkloadSpec workload = YamlSpecs.parse("train.yaml", String.join("\n",
                "name: train",
                "run: python train.py",
                "setup: pip install -r requirements.txt",
                "buckets:",
                "  source: s3://code/train/",
                "  results: s3://out/train/",
                "  checkpoints: s3://ckpt/all/",
                "checkpoint:",
                "  dir: /data/ckpt",
                "  signal: SIGUSR1",
                "  syncInterval: 10m",
                ""));
        Files.writeString(spec, AgentSpecJson.write(AgentSpec.of(workload, 1)));

        AgentSettings s = settings("--workload", "train", "--agent-spec", spec.toString(), "--run",
                "python train.py --resume", "--work-dir", dir.toString(), "--no-imds", "--instance-id", "i-1");

        assertThat(s.run()).isEqualTo("python train.py --resume");
        assertThat(s.setup()).isEqualTo("pip install -r requirements.txt");
        assertThat(s.checkpoints()).contains(new S3Location("ckpt", "all/"));
        assertThat(s.source()).contains(new S3Location("code", "train/"));
        assertThat(s.results()).contains(new S3Location("out", "train/"));
        assertThat(s.checkpointDir()).isEqualTo(Path.of("/data/ckpt"));
        assertThat(s.resultsDir()).isEqualTo(dir.toAbsolutePath().resolve("results"));
        assertThat(s.signal()).isEqualTo("SIGUSR1");
        assertThat(s.syncInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.watchImds()).isFalse();
        assertThat(s.instanceId()).contains("i-1");
    }

    @Test
    void checkpointDir_byDefaultAndWhenRelative_isBelowTheWorkDir(@TempDir Path work) {
        AgentSettings byDefault = settings("--workload", "t", "--checkpoints", "s3://b/p", "--run", "x",
                "--work-dir", work.toString(), "--no-imds");
        AgentSettings relative = settings("--workload", "t", "--checkpoints", "s3://b/p", "--run", "x",
                "--work-dir", work.toString(), "--checkpoint-dir", "state/ckpt", "--no-imds");

        assertThat(byDefault.checkpointDir()).isEqualTo(work.toAbsolutePath().resolve("checkpoint"));
        assertThat(relative.checkpointDir()).isEqualTo(work.toAbsolutePath().resolve("state/ckpt"));
    }

    @Test
    void withoutACheckpointLocation_theErrorSaysWhatToGive() {
        StringWriter err = new StringWriter();
        int exitCode = AgentApp.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
                .execute("agent", "--workload", "train", "--run", "true", "--no-imds");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("error: no checkpoint location: give --checkpoints s3://bucket/prefix");
    }

    @Test
    void badValues_areNamed() {
        assertThatThrownBy(() -> settings("--workload", "Train!", "--checkpoints", "s3://b/p", "--run", "x"))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("--workload");
        assertThatThrownBy(() -> settings("--workload", "t", "--checkpoints", "b/p", "--run", "x"))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("expected an S3 URL like s3://my-bucket/prefix");
        assertThatThrownBy(() -> settings("--workload", "t", "--checkpoints", "s3://b/p", "--run", "x", "--sync-interval", "often"))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("--sync-interval must be a duration");
        assertThatThrownBy(() -> settings("--workload", "t", "--checkpoints", "s3://b/p", "--run", "x", "--signal", "USR1",
                "--checkpoint-command", "kill -USR1 1")).isInstanceOf(SpotkeeperException.class).hasMessageContaining("cannot both be set");
        assertThat(AgentCommand.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(AgentCommand.duration("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThat(AgentCommand.duration("0")).isZero();
    }

    @Test
    void agentSpec_ofANewerVersion_orOfAnotherWorkload_isRefusedSayingWhy() throws Exception {
        WorkloadSpec workload = YamlSpecs.parse("t.yaml", "name: train\nrun: t\nbuckets: {checkpoints: s3://ckpt/p}\n");
        String text = AgentSpecJson.write(AgentSpec.of(workload, 2));
        Path newer = Files.writeString(dir.resolve("newer.json"), text.replace(
                "\"schemaVersion\":" + AgentSpecJson.SCHEMA_VERSION, "\"schemaVersion\":9"));
        Path current = Files.writeString(dir.resolve("current.json"), text);

        StringWriter err = new StringWriter();
        int exitCode = AgentApp.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
                .execute("agent", "--workload", "train", "--agent-spec", newer.toString(), "--no-imds");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("agent spec of schemaVersion 9, newer than this spotkeeper reads ("
                + AgentSpecJson.SCHEMA_VERSION + ")")
                .doesNotContain("Exception");
        assertThatThrownBy(() -> settings("--workload", "other", "--agent-spec", current.toString(), "--no-imds"))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("is workload 'train''s, not 'other''s");
    }
}
