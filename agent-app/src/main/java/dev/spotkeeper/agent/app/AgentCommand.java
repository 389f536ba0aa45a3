package dev.spotkeeper.agent.app;

import dev.spotkeeper.agent.AgentLog;
import dev.spotkeeper.agent.AgentMain;
import dev.spotkeeper.agent.AgentSettings;
import dev.spotkeeper.agent.AgentSpecs;
import dev.spotkeeper.agent.PowerOff;
import dev.spotkeeper.agent.ServiceAgent;
import dev.spotkeeper.agent.s3.S3Location;
import dev.spotkeeper.core.Durations;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.workload.AgentSpec;
import dev.spotkeeper.core.workload.JobExtension;
import dev.spotkeeper.core.workload.ServiceExtension;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spotkeeper agent}: runs on the instance (started by the launch template's user data). Everything can come
 * from the agent spec the controller wrote for the instance ({@code --agent-spec}, versioned JSON); options given on
 * the command line win over it.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Runs a workload's job on this instance and keeps it alive on spot: restores the newest complete "
                + "checkpoint, runs setup and the job, syncs the checkpoint directory to S3 in the background, evacuates "
                + "on the interruption notice or the spotkeeper:evacuate tag, uploads results on exit 0, and reports "
                + "to the controller's events queue.",
                "Environment: AWS_ENDPOINT_URL, AWS_REGION, AWS credentials, AWS_EC2_METADATA_SERVICE_ENDPOINT, "
                        + "SPOTKEEPER_EVENTS_QUEUE_URL."})
public final class AgentCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--workload", defaultValue = "${env:SPOTKEEPER_WORKLOAD}",
            description = "Workload name (names the checkpoint prefix and the reports). Env: SPOTKEEPER_WORKLOAD.")
    String workload;

    @Option(names = "--agent-spec", description = "The agent spec the controller wrote for this instance (s3://bucket/key,"
            + " or a local file of one) to take buckets, setup, run and checkpoint settings from.")
    String agentSpec;

    @Option(names = "--run", description = "The job's command, run with /bin/sh -c in the work directory.")
    String run;

    @Option(names = "--setup", description = "Command run once before the job; a non-zero exit ends the agent.")
    String setup;

    @Option(names = "--work-dir", defaultValue = ".", description = "Directory the job runs in (default: the current one).")
    Path workDir;

    @Option(names = "--checkpoint-dir", description = "The job's checkpoint directory, SPOTKEEPER_CHECKPOINT_DIR; a relative one is below --work-dir (default <work-dir>/checkpoint).")
    Path checkpointDir;

    @Option(names = "--results-dir", description = "Directory uploaded to --results when the job exits 0, SPOTKEEPER_RESULTS_DIR (default <work-dir>/results).")
    Path resultsDir;

    @Option(names = "--checkpoints", description = "Checkpoint location, s3://bucket/prefix (checkpoints go below <prefix>/<workload>/).")
    String checkpoints;

    @Option(names = "--source", description = "S3 prefix copied into the work directory before setup.")
    String source;

    @Option(names = "--results", description = "S3 prefix the results directory is uploaded to.")
    String results;

    @Option(names = "--signal", description = "Signal that asks the job for a checkpoint, e.g. SIGUSR1.")
    String signal;

    @Option(names = "--checkpoint-command", description = "Command that asks the job for a checkpoint (instead of a signal).")
    String checkpointCommand;

    @Option(names = "--sync-interval", description = "Background checkpoint interval: 90s, 5m, 1h or ISO-8601; 0 turns it off (default 5m).")
    String syncInterval;

    @Option(names = "--queue-url", defaultValue = "${env:SPOTKEEPER_EVENTS_QUEUE_URL}",
            description = "SQS queue for the agent's reports. Env: SPOTKEEPER_EVENTS_QUEUE_URL. Without one, reports are only logged.")
    String queueUrl;

    @Option(names = "--instance-id", description = "This instance's id (default: read from instance metadata).")
    String instanceId;

    @Option(names = "--no-imds", description = "Do not use instance metadata (runs outside EC2: no interruption notices).")
    boolean noImds;

    @Option(names = "--db-port", defaultValue = "${env:SPOTKEEPER_DB_PORT:-0}",
            description = "A service's database port; 0 (default): 3306 on EC2, the instance's host port on the"
                    + " local emulator, else a free loopback port. Env: SPOTKEEPER_DB_PORT.")
    int dbPort;

    @Option(names = "--db-bind", defaultValue = "${env:SPOTKEEPER_DB_BIND:-}",
            description = "The address a service's database listens on (default: the instance's private address on"
                    + " EC2, else 127.0.0.1). Env: SPOTKEEPER_DB_BIND.")
    String dbBind;

    @Override
    public Integer call() {
        AgentLog.install();
        AgentSettings settings;
        Optional<ServiceAgent.Settings> service;
        try {
            service = serviceSettings();
            settings = service.isPresent() ? null : settings();
        } catch (SpotkeeperException e) {
            // On an instance, bad settings would otherwise leave it running and billing with nothing to do.
            AgentMain.failedAtBoot(workload == null ? "" : workload,
                    Optional.ofNullable(queueUrl).filter(q -> !q.isBlank()), !noImds, System.getenv(),
                    Clock.systemUTC(), e.getMessage(), PowerOff.shutdown(System.getenv()));
            throw e;
        }
        if (service.isPresent()) {
            try {
                return ServiceAgent.run(service.get(), System.getenv(), Clock.systemUTC());
            } catch (RuntimeException e) {
                // A database that cannot come up must not leave its instance running and billing.
                AgentMain.failedAtBoot(workload, service.get().queueUrl(), !noImds, System.getenv(), Clock.systemUTC(),
                        e instanceof SpotkeeperException ? e.getMessage() : e.toString(),
                        PowerOff.shutdown(System.getenv()));
                throw e;
            }
        }
        return AgentMain.run(settings, System.getenv(), Clock.systemUTC());
    }

    private AgentSpec readSpec;

    /** The agent spec, read once. */
    private Optional<AgentSpec> agentSpec() {
        if (agentSpec == null) {
            return Optional.empty();
        }
        if (readSpec == null) {
            readSpec = AgentSpecs.read(agentSpec, workload, System.getenv());
        }
        return Optional.of(readSpec);
    }

    /** A service's settings, when the agent spec is a service's: it runs a database, not a command. */
    Optional<ServiceAgent.Settings> serviceSettings() {
        if (workload == null || agentSpec().isEmpty() || !(agentSpec().get().work() instanceof ServiceExtension)) {
            return Optional.empty();
        }
        AgentSpec fromSpec = agentSpec().get();
        if (dbPort < 0 || dbPort > 65535) {
            throw SpotkeeperException.invalidArgument("--db-port must be 0 (a free port) or 1-65535, was " + dbPort);
        }
        return Optional.of(new ServiceAgent.Settings(fromSpec, workDir.toAbsolutePath().normalize(),
                Optional.ofNullable(queueUrl).filter(q -> !q.isBlank()), Optional.ofNullable(instanceId), !noImds,
                dbPort, dbBind == null ? "" : dbBind.strip()));
    }

    AgentSettings settings() {
        if (workload == null || !workload.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            throw SpotkeeperException.invalidArgument("--workload (or SPOTKEEPER_WORKLOAD) must be the workload's name: "
                    + "1-63 lowercase letters, digits and '-'; was " + (workload == null ? "not set" : "'" + workload + "'"));
        }
        // The spec the controller wrote for this instance: accepted at submit, so not checked again.
        Optional<AgentSpec> fromSpec = agentSpec();
        Optional<WorkloadSpec.Buckets> buckets = fromSpec.map(AgentSpec::buckets);
        Optional<JobExtension> job = fromSpec.map(a -> (JobExtension) a.work());
        String ckpt = pick(checkpoints, buckets.map(WorkloadSpec.Buckets::checkpoints));
        if (ckpt.isEmpty()) {
            throw SpotkeeperException.invalidArgument("no checkpoint location: give --checkpoints s3://bucket/prefix "
                    + "or an agent spec (--agent-spec) with buckets.checkpoints");
        }
        String runCommand = pick(run, job.map(JobExtension::run));
        if (runCommand.isBlank()) {
            throw SpotkeeperException.invalidArgument("nothing to run: give --run CMD or an agent spec (--agent-spec) with a run command");
        }
        String sig = pick(signal, job.map(f -> f.checkpoint().signal()));
        String command = pick(checkpointCommand, job.map(f -> f.checkpoint().command()));
        if (!sig.isEmpty() && !command.isEmpty()) {
            throw SpotkeeperException.invalidArgument("--signal and --checkpoint-command cannot both be set: choose how the job is asked");
        }
        Path work = workDir.toAbsolutePath().normalize();
        // Relative to the work directory, not to wherever the agent was started: two instances on one machine (the
        // local emulator) then never share a checkpoint directory, nor the progress file next to it.
        Path dir = work.resolve(checkpointDir != null ? checkpointDir
                : Path.of(job.map(f -> f.checkpoint().directory()).orElse("checkpoint")));
        Duration sync = syncInterval != null ? duration(syncInterval)
                : job.map(f -> f.checkpoint().syncInterval()).orElse(Duration.ofMinutes(5));
        return new AgentSettings(workload, work, dir.toAbsolutePath().normalize(),
                resultsDir != null ? resultsDir.toAbsolutePath().normalize() : work.resolve("results"),
                Optional.of(S3Location.parse(ckpt)), location(pick(source, buckets.map(WorkloadSpec.Buckets::source))),
                location(pick(results, buckets.map(WorkloadSpec.Buckets::results))),
                pick(setup, job.map(JobExtension::setup)), runCommand, sig, command, sync,
                Optional.ofNullable(queueUrl).filter(s -> !s.isBlank()), Optional.ofNullable(instanceId), !noImds);
    }

    private static String pick(String option, Optional<String> fromFile) {
        return option != null ? option : fromFile.orElse("");
    }

    private static Optional<S3Location> location(String url) {
        return url.isBlank() ? Optional.empty() : Optional.of(S3Location.parse(url));
    }

    static Duration duration(String text) {
        return Durations.parse("--sync-interval", text);
    }
}
