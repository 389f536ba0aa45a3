package dev.spotkeeper.cli.job;

import dev.spotkeeper.spec.yaml.StoredSpecs;
import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.FaultInjectionPort.Fault;
import dev.spotkeeper.core.cloud.FaultInjectionPort;
import dev.spotkeeper.core.protocol.Tags;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code spotkeeper chaos NAME --interruptions N}: rehearses interruptions of a running workload through the FIS
 * API, as people do by hand with an experiment template, {@code start-experiment} and {@code get-experiment}. The
 * template targets the running instances tagged {@code spotkeeper:workload=NAME} and {@code spotkeeper:chaos=next};
 * before each experiment the workload's current instances get that tag and, once FIS has chosen them, lose it, so
 * an instance still in its two minutes after an earlier warning is not chosen again.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Interrupt a running workload's current instance(s) N times through the FIS API"
                + " (aws:ec2:send-spot-instance-interruptions; with --no-warning aws:ec2:terminate-instances), each"
                + " once the last one was handled, and print one line per interruption: instance, pool, warning →"
                + " replacement requested → restored, and the seconds of work lost. The experiment template (and on"
                + " AWS its least-privilege IAM role) is created when missing.",
                "Exit code 0 when the workload came through every interruption (still running or succeeded, a"
                        + " replacement restored each time), 1 otherwise."})
public final class ChaosCommand implements Callable<Integer> {
    static final String CHAOS_TAG = Tags.CHAOS;
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration HIT = Duration.ofSeconds(60);
    private static final Duration REPLACEMENT = Duration.ofMinutes(2);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeploymentOptions deployment;

    @Parameters(index = "0", paramLabel = "NAME", description = "The running workload to interrupt.")
    String name;

    @Option(names = "--interruptions", paramLabel = "N", required = true, description = "How many interruptions.")
    int interruptions;

    @Option(names = "--every", paramLabel = "DURATION", defaultValue = "0s",
            description = "At least this long between the starts of two interruptions (90s, 5m, PT5M). Default: the"
                    + " next one as soon as the last was handled.")
    Duration every;

    @Option(names = "--no-warning", description = "Terminate the instance without the two-minute warning"
            + " (aws:ec2:terminate-instances), as a host failure would.")
    boolean noWarning;

    @Option(names = "--same-pool", paramLabel = "K", defaultValue = "1",
            description = "For a fleet: interrupt K healthy spot members of one pool at once (a pool losing"
                    + " capacity). Default: 1.")
    int samePool;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long each interruption may take to be handled (the replacement restored). Default: 10m.")
    Duration wait;

    @Override
    public Integer call() throws InterruptedException {
        if (interruptions < 1 || interruptions > 100) {
            throw SpotkeeperException.invalidArgument("--interruptions must be 1 to 100, was " + interruptions);
        }
        Duration gap = every;
        Duration patience = wait;
        PrintWriter out = spec.commandLine().getOut();
        try (JobBackend backend = JobBackends.open(deployment)) {
            // It reads the stored spec: one stored as YAML by an earlier version is converted first.
            StoredSpecs.migrate(backend.store());
            WorkloadRecord w = Jobs.workload(backend, name);
            if (w.status().isTerminal()) {
                throw SpotkeeperException.invalidArgument(name + " is " + Jobs.status(w) + "; chaos interrupts a"
                        + " workload that runs (submit it again with `spotkeeper run FILE --detach`)");
            }
            var extension = WorkloadSpecJson.read("the stored spec of " + w.name(), w.specText()).extension();
            FleetChaos fleet = null;
            if (extension instanceof dev.spotkeeper.core.workload.FleetExtension f) {
                if (noWarning) {
                    throw SpotkeeperException.invalidArgument("--no-warning is for jobs and services; a fleet's"
                            + " members are interrupted with the two-minute warning, as AWS interrupts them");
                }
                fleet = new FleetChaos(backend, name, f.replicas(), samePool, out);
            } else if (samePool != 1) {
                throw SpotkeeperException.invalidArgument("--same-pool is for a fleet (kind: fleet), whose members"
                        + " share pools; " + name + " is not one");
            }
            Rehearsal r = new Rehearsal(backend, w, out, fleet);
            return r.run(gap, patience);
        }
    }

    /** One run of the command: the template, then each interruption in turn. */
    private final class Rehearsal {
        private final JobBackend backend;
        private final PrintWriter out;
        private final ChaosTimeline timeline;
        private final InterruptionFigures figures;
        private final FaultInjectionPort fis;

        private final FleetChaos fleet;

        Rehearsal(JobBackend backend, WorkloadRecord w, PrintWriter out, FleetChaos fleet) {
            this.fleet = fleet;
            this.backend = backend;
            this.out = out;
            this.timeline = backend.journal().map(ChaosTimeline::journal)
                    .orElseGet(() -> ChaosTimeline.store(backend.store(), backend.clock()));
            dev.spotkeeper.core.workload.WorkloadSpec stored = WorkloadSpecJson.read("the stored spec of "
                    + w.name(), w.specText());
            this.figures = figures(backend, stored);
            this.fis = backend.faultInjection();
        }

        /** A service's figures read its hand-over and take-over records below {@code <checkpoints>/NAME/db/}. */
        private static InterruptionFigures figures(JobBackend backend, dev.spotkeeper.core.workload.WorkloadSpec spec) {
            String at = spec.buckets().checkpoints();
            if (!at.startsWith("s3://")) {
                return InterruptionFigures.of(spec.kind());
            }
            String rest = at.substring("s3://".length());
            String bucket = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
            String prefix = rest.contains("/") ? rest.substring(rest.indexOf('/') + 1) : "";
            String db = (prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/") + spec.name() + "/db/";
            return InterruptionFigures.of(spec.kind(), key -> {
                try {
                    return backend.objects().bucket(bucket).getBytes(db + key)
                            .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8));
                } catch (RuntimeException e) {
                    return java.util.Optional.empty();
                }
            }, under -> {
                try {
                    return backend.objects().bucket(bucket).list(db + under).stream()
                            .map(o -> o.key().substring(db.length())).toList();
                } catch (RuntimeException e) {
                    return List.of();
                }
            });
        }

        int run(Duration gap, Duration patience) throws InterruptedException {
            String region = backend.region().orElse("us-east-1");
            Fault fault = noWarning ? Fault.TERMINATION : Fault.SPOT_INTERRUPTION;
            FaultInjectionPort.Template template = fis.ensureTemplate(new FaultInjectionPort.TemplateSpec(name, region,
                    fault, Map.of(Tags.WORKLOAD, name, CHAOS_TAG, "next")));
            template.created().forEach(out::println);
            if (template.created().isEmpty()) {
                out.println("using FIS experiment template " + template.id());
            }
            say("chaos on " + name + " (" + backend.description() + "): " + interruptions + " interruption(s) "
                    + (noWarning ? "without warning" : "with the two-minute warning") + ", each once the last was handled"
                    + (backend.resident() ? "" : "; the controller must be running to handle them"));
            if (fleet != null) {
                return fleet(template.id(), gap, patience);
            }
            Instant lastStart = null;
            for (int k = 1; k <= interruptions; k++) {
                List<InstanceRecord> victims = awaitVictims(patience);
                if (victims.isEmpty()) {
                    return finishedEarly(k);
                }
                if (lastStart != null) {
                    pauseUntil(lastStart.plus(gap));
                }
                lastStart = backend.clock().instant();
                Interruption result = interrupt(k, template.id(), victims, lastStart, patience);
                List<String> line = new ArrayList<>(List.of(result.line()));
                line.addAll(figures.figures(result));
                say(String.join("; ", line));
                if (!result.handled()) {
                    say(name + " did not come through interruption " + k + ": " + why(result, patience));
                    return 1;
                }
            }
            WorkloadRecord end = Jobs.workload(backend, name);
            boolean ok = end.status() == WorkloadStatus.RUNNING || end.status() == WorkloadStatus.SUCCEEDED;
            say(name + (ok ? " came through " + interruptions + " interruption(s); it is " : " is ") + Jobs.status(end));
            return ok ? 0 : 1;
        }

        /** A fleet's interruptions, each once the fleet serves all its replicas again. */
        private int fleet(String template, Duration gap, Duration patience) throws InterruptedException {
            Instant lastStart = null;
            for (int k = 1; k <= interruptions; k++) {
                if (lastStart != null) {
                    pauseUntil(lastStart.plus(gap));
                }
                lastStart = backend.clock().instant();
                FleetChaos.Outcome result = fleet.interrupt(k, fis, template, patience);
                say(result.line());
                if (!result.handled()) {
                    say(name + " did not come through interruption " + k);
                    return 1;
                }
            }
            say(name + " came through " + interruptions + " interruption(s); it is "
                    + Jobs.status(Jobs.workload(backend, name)));
            return 0;
        }

        /** The instances doing the work now, once they run (empty when the workload ended meanwhile). */
        private List<InstanceRecord> awaitVictims(Duration patience) throws InterruptedException {
            Instant until = backend.clock().instant().plus(patience);
            while (true) {
                WorkloadRecord w = Jobs.workload(backend, name);
                if (w.status().isTerminal()) {
                    return List.of();
                }
                List<InstanceRecord> current = backend.store().instances(name).stream()
                        .filter(r -> !r.state().isTerminal() && r.replacedBy().isEmpty()).toList();
                if (!current.isEmpty() && current.stream().allMatch(r -> r.state()
                        == dev.spotkeeper.core.lifecycle.InstanceState.RUNNING)) {
                    if (!noWarning && current.stream().anyMatch(r -> !r.spot())) {
                        throw SpotkeeperException.invalidArgument(name + " runs on on-demand "
                                + current.get(0).instanceId() + " now, which no spot interruption can reach; use"
                                + " --no-warning to terminate it instead");
                    }
                    return current;
                }
                if (backend.clock().instant().isAfter(until)) {
                    throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "no instance of " + name + " ran within "
                            + wait + " (now: " + Jobs.current(backend.store().instances(name)) + ")");
                }
                Thread.sleep(POLL.toMillis());
            }
        }

        private Interruption interrupt(int k, String template, List<InstanceRecord> victims, Instant started,
                                       Duration patience) throws InterruptedException {
            for (InstanceRecord v : victims) {
                backend.compute().tag(region(v), v.instanceId(), Map.of(CHAOS_TAG, "next"));
            }
            String experiment = fis.start(template, name + "-" + k + "-" + started.toEpochMilli());
            InstanceRecord victim = victims.get(0);
            Interruption i = new Interruption(k, victim.instanceId(), victim.poolKey(), started, !noWarning, List.of());
            boolean retagged = false;
            while (true) {
                i = i.with(timeline.events(name));
                FaultInjectionPort.ExperimentState state = fis.state(experiment);
                if (!retagged && !state.status().equals("initiating")) {
                    // FIS has chosen its targets: the next experiment must not choose these again.
                    for (InstanceRecord v : victims) {
                        backend.compute().tag(region(v), v.instanceId(), Map.of(CHAOS_TAG, "done-" + k));
                    }
                    retagged = true;
                }
                if (i.handled() || i.ended().isPresent() || state.failed() || late(i, patience)) {
                    if (state.failed() && i.hit().isEmpty()) {
                        say("FIS experiment " + experiment + " " + state.status() + ": " + state.reason());
                    }
                    return i;
                }
                Thread.sleep(POLL.toMillis());
            }
        }

        /** Past the time each step may take: the hit a minute, the replacement two more, the restore --wait. */
        private boolean late(Interruption i, Duration patience) {
            Instant now = backend.clock().instant();
            Instant hitBy = i.started().plus(HIT);
            if (i.hit().isEmpty()) {
                return now.isAfter(hitBy);
            }
            if (i.replacement().isEmpty()) {
                return now.isAfter(i.hit().get().time().plus(REPLACEMENT));
            }
            return now.isAfter(i.replacement().get().time().plus(patience));
        }

        private String why(Interruption i, Duration patience) {
            if (i.ended().isPresent()) {
                ControllerEvent e = i.ended().get();
                return "it " + e.kind().name().toLowerCase(Locale.ROOT) + " (" + e.message() + ")";
            }
            if (i.hit().isEmpty()) {
                return (noWarning ? "the instance was not seen terminated" : "the warning did not reach the controller")
                        + " within " + HIT.toSeconds() + " s";
            }
            if (i.replacement().isEmpty()) {
                return "no replacement was requested within " + REPLACEMENT.toSeconds() + " s";
            }
            return "the replacement did not restore within " + wait + " (`spotkeeper logs " + name
                    + " --current` shows why)";
        }

        private int finishedEarly(int k) {
            WorkloadRecord w = Jobs.workload(backend, name);
            boolean ok = w.status() == WorkloadStatus.SUCCEEDED;
            say(name + " " + Jobs.status(w) + " after " + (k - 1) + " of " + interruptions + " interruption(s)"
                    + (ok ? "; nothing left to interrupt" : ""));
            return ok ? 0 : 1;
        }

        private void pauseUntil(Instant at) throws InterruptedException {
            long millis = Duration.between(backend.clock().instant(), at).toMillis();
            if (millis > 0) {
                Thread.sleep(millis);
            }
        }

        private void say(String line) {
            out.println(line);
            out.flush();
        }
    }

    private static String region(InstanceRecord r) {
        return r.poolKey().substring(0, r.poolKey().indexOf('/'));
    }

}
