package dev.spotkeeper.bench;

import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.SdkClients;
import dev.spotkeeper.cli.job.EmulatorBackend;
import dev.spotkeeper.cli.job.Jobs;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.emulator.LocalEmulator;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateActionInput;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateTargetInput;
import software.amazon.awssdk.services.fis.model.ExperimentState;
import software.amazon.awssdk.services.fis.model.ExperimentTemplateTargetInputFilter;

/**
 * The B4 set-up: the local emulator (boot delay 0) with a controller on it, and one measured interruption per
 * {@link #run}. The job writes a checkpoint of random bytes in its setup step (so the first background upload
 * is the whole checkpoint), then idles; once that upload is committed, an FIS experiment interrupts its instance
 * and the controller's journal gives the times. {@link #close()} may be called from any thread, more than once
 * (the command calls it on Ctrl-C too) and leaves nothing running.
 */
final class RecoveryRig implements AutoCloseable {
    static final String BUCKET = "spotkeeper-bench";
    /** Small files next to the large one, as a model's checkpoint has next to its weights. */
    static final int SMALL_FILES = 4;

    private static final String SPEC = """
            name: %1$s
            requirements:
              regions: [us-east-1]
              types: [m5.large, c5.large, m5.xlarge]
            placement:
              strategy: lowest-price
            maxDuration: 15m
            buckets:
              checkpoints: s3://%2$s/checkpoints
            setup: >-
              d="$SPOTKEEPER_CHECKPOINT_DIR"; mkdir -p "$d";
              if [ ! -f "$d/model.bin" ]; then head -c %3$d /dev/urandom > "$d/model.tmp" && mv "$d/model.tmp" "$d/model.bin";
              for i in $(seq 1 %5$d); do head -c %4$d /dev/urandom > "$d/part-$i.bin"; done; fi
            run: >-
              d="$SPOTKEEPER_CHECKPOINT_DIR"; trap 'touch "$d/.spotkeeper-ready"' USR1;
              echo "holding a checkpoint of $(du -sb "$d" | cut -f1) bytes"; while :; do sleep 0.2; done
            checkpoint:
              dir: checkpoint
              signal: SIGUSR1
              syncInterval: 2s
            """;
    /** The RESTORED line: checkpoint, bytes fetched, seconds (and, after a prepare, the bytes already there). */
    private static final Pattern RESTORED = Pattern.compile("restored (\\S+) \\((\\d+) bytes in ([0-9.Ee-]+) s[;)]");

    private final LocalEmulator emulator;
    private final EmulatorBackend backend;
    private final Controller controller;
    private final FisClient fis;
    private final Clock clock;
    private final PrintWriter out;
    private final LinkedBlockingQueue<ControllerEvent> events = new LinkedBlockingQueue<>();
    private final List<ControllerEvent> seen = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RecoveryRig(LocalEmulator emulator, PrintWriter out) {
        this.emulator = emulator;
        this.out = out;
        EmulatorBackend b = null;
        FisClient f = null;
        try {
            b = new EmulatorBackend(emulator);
            f = SdkClients.configure(FisClient.builder(), new ClientSettings(emulator.endpoint(), EmulatorBackend.REGION,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(emulator.credentials().accessKeyId(),
                            emulator.credentials().secretAccessKey())), ClientSettings.DEFAULT_MAX_ATTEMPTS, null))
                    .httpClient(UrlConnectionHttpClient.create()).build();
        } catch (RuntimeException e) {
            if (b != null) {
                b.close();
            } else {
                emulator.close();
            }
            throw e;
        }
        this.backend = b;
        this.fis = f;
        this.clock = backend.clock();
        this.controller = Jobs.controller(backend);
        controller.addListener(e -> {
            seen.add(e);
            events.add(e);
        });
        controller.start(Duration.ofMillis(100));
    }

    /** Starts the emulator with instance boot delay 0 and its services, data under {@code workDir}. */
    static RecoveryRig start(Path workDir, PrintWriter out) {
        LocalEmulator emulator;
        try {
            emulator = LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO).services(true)
                    .workDirectory(workDir).start();
        } catch (SpotkeeperException e) {
            throw e;
        } catch (Exception e) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "could not start the local emulator: " + e.getMessage(), e);
        }
        return new RecoveryRig(emulator, out);
    }

    URI endpoint() {
        return emulator.endpoint();
    }

    /** One interruption of a job holding {@code bytes} of checkpoint; the workload is cancelled afterwards. */
    RecoveryTimes run(String name, long bytes) {
        long small = bytes / 32;
        String text = String.format(Locale.ROOT, SPEC, name, BUCKET, bytes - small * SMALL_FILES, small, SMALL_FILES);
        var spec = YamlSpecs.parse(name + ".yaml", text);
        backend.prepare(spec);
        events.clear();
        controller.submit(spec);
        try {
            return measure(name, bytes);
        } finally {
            end(name);
        }
    }

    /**
     * Cancels the workload and waits (up to 30 s) until the controller has terminated its instances, so the next
     * run starts on an idle machine; closing the emulator ends whatever is left in any case.
     */
    private void end(String name) {
        long start = System.nanoTime();
        long until = start + Duration.ofSeconds(30).toNanos();
        try {
            while (true) {
                if (backend.store().workload(name).map(w -> !w.status().isTerminal()).orElse(false)) {
                    controller.cancel(name);
                }
                List<String> live = backend.store().instances(name).stream().filter(r -> !r.state().isTerminal())
                        .map(r -> r.instanceId() + " " + r.state()).toList();
                if (live.isEmpty()) {
                    progress("  workload cancelled, its instances terminated in %.1f s", (System.nanoTime() - start) / 1e9);
                    break;
                }
                if (System.nanoTime() > until) {
                    progress("  still live 30 s after the cancel: %s (closing the emulator ends them)", live);
                    break;
                }
                // The controller's journal wakes this up as soon as it terminates something.
                events.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SpotkeeperException e) {
            progress("  (could not cancel %s: %s; closing the emulator will end its instances)", name, e.getMessage());
        }
    }

    private RecoveryTimes measure(String name, long bytes) {
        Duration transfer = Duration.ofSeconds(60 + 60 * Math.max(1, bytes >> 30));
        ControllerEvent running = await(name, e -> e.kind() == Kind.RUNNING, Duration.ofMinutes(2),
                "the job's agent to start");
        String victim = running.instanceId();
        progress("  job running on %s; its setup writes %s of random bytes", victim, gib(bytes));
        ControllerEvent committed = await(name, e -> e.kind() == Kind.CHECKPOINTED && e.instanceId().equals(victim)
                && e.message().startsWith("checkpoint "), transfer.plusMinutes(1), "the first checkpoint to be committed");
        progress("  %s committed; interrupting %s through FIS (aws:ec2:send-spot-instance-interruptions)",
                committed.message(), victim);
        String template = template(victim);
        Instant fisStarted = clock.instant();
        String experiment = fis.startExperiment(b -> b.experimentTemplateId(template)).experiment().id();
        ControllerEvent warning = await(name, e -> e.kind() == Kind.AT_RISK && e.instanceId().equals(victim),
                Duration.ofSeconds(30), "the interruption warning (FIS experiment " + experiment + ": "
                        + experimentState(experiment) + ")");
        progress("  +%5.2f s warning at the controller (%s)", since(fisStarted, warning), warning.message());
        ControllerEvent launch = await(name, e -> e.kind() == Kind.LAUNCHED && e.message().contains("replacing " + victim),
                Duration.ofSeconds(30), "the replacement's launch");
        String replacement = launch.instanceId();
        progress("  +%5.2f s replacement %s launch requested", since(fisStarted, launch), replacement);
        ControllerEvent started = await(name, e -> e.kind() == Kind.RUNNING && e.instanceId().equals(replacement),
                Duration.ofMinutes(2), "the replacement's agent to start");
        progress("  +%5.2f s replacement agent started", since(fisStarted, started));
        ControllerEvent restored = await(name, e -> e.kind() == Kind.RESTORED && e.instanceId().equals(replacement),
                transfer, "the replacement's restore");
        Matcher m = RESTORED.matcher(restored.message());
        if (!m.find()) {
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "the replacement " + replacement
                    + " did not restore the committed checkpoint (" + restored.message() + ")");
        }
        long restoredBytes = Long.parseLong(m.group(2));
        double seconds = Double.parseDouble(m.group(3));
        progress("  +%5.2f s replacement restored %s: %s in %.2f s", since(fisStarted, restored), m.group(1),
                gib(restoredBytes), seconds);
        return new RecoveryTimes(victim, replacement, fisStarted, warning.time(), launch.time(), started.time(),
                restored.time(), restoredBytes, seconds, warning.message());
    }

    /** A one-instance experiment template by ARN, as a user would write it; returns its id. */
    private String template(String instanceId) {
        String arn = "arn:aws:ec2:" + EmulatorBackend.REGION + ":000000000000:instance/" + instanceId;
        CreateExperimentTemplateTargetInput target = CreateExperimentTemplateTargetInput.builder()
                .resourceType("aws:ec2:spot-instance").resourceArns(arn).selectionMode("ALL")
                .filters(ExperimentTemplateTargetInputFilter.builder().path("State.Name").values("running").build())
                .build();
        // Two minutes is the shortest notice FIS allows and the one AWS gives.
        CreateExperimentTemplateActionInput action = CreateExperimentTemplateActionInput.builder()
                .actionId("aws:ec2:send-spot-instance-interruptions")
                .parameters(Map.of("durationBeforeInterruption", "PT2M"))
                .targets(Map.of("SpotInstances", "victim")).build();
        return fis.createExperimentTemplate(b -> b.description("spotkeeper bench recovery")
                .roleArn("arn:aws:iam::000000000000:role/spotkeeper-fis").stopConditions(s -> s.source("none"))
                .targets(Map.of("victim", target)).actions(Map.of("interrupt", action))).experimentTemplate().id();
    }

    private String experimentState(String id) {
        try {
            ExperimentState s = fis.getExperiment(b -> b.id(id)).experiment().state();
            return s.statusAsString() + (s.reason() == null ? "" : ", " + s.reason());
        } catch (RuntimeException e) {
            return "state unknown: " + e.getMessage();
        }
    }

    /**
     * The next journal event of the workload that matches; an error naming what was awaited and the last events
     * when none comes in time.
     */
    private ControllerEvent await(String name, Predicate<ControllerEvent> wanted, Duration timeout, String what) {
        long end = System.nanoTime() + timeout.toNanos();
        try {
            for (long left = timeout.toNanos(); left > 0; left = end - System.nanoTime()) {
                ControllerEvent e = events.poll(left, TimeUnit.NANOSECONDS);
                if (e != null && e.workload().equals(name) && wanted.test(e)) {
                    return e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "interrupted while waiting for " + what);
        }
        List<ControllerEvent> of = seen.stream().filter(e -> e.workload().equals(name)).toList();
        throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "no sign of " + what + " within " + timeout.toSeconds()
                + " s; the last events of " + name + ":\n  " + String.join("\n  ",
                of.subList(Math.max(0, of.size() - 8), of.size()).stream().map(ControllerEvent::toString).toList()));
    }

    private void progress(String format, Object... args) {
        out.printf(Locale.ROOT, format + "%n", args);
        out.flush();
    }

    private static double since(Instant from, ControllerEvent e) {
        return Duration.between(from, e.time()).toNanos() / 1e9;
    }

    static String gib(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    /** Stops the controller, closes the clients and the emulator (which ends every instance's processes). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            controller.close();
        } finally {
            try {
                fis.close();
            } finally {
                backend.close();
            }
        }
    }
}
