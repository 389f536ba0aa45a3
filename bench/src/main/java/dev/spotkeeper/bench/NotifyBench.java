package dev.spotkeeper.bench;

import com.sun.net.httpserver.HttpServer;
import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.SdkClients;
import dev.spotkeeper.cli.charts.BarChart;
import dev.spotkeeper.cli.job.EmulatorBackend;
import dev.spotkeeper.cli.job.Jobs;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.notify.NotificationSender;
import dev.spotkeeper.notify.NotifierContext;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateActionInput;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateTargetInput;

/**
 * B8: how long from an interruption warning reaching the controller until a webhook on 127.0.0.1 has accepted the
 * message about it. Jobs on the emulator, several at a time, are interrupted through FIS, each up to three times
 * (its instance, then the instance that took it over); the controller, the notification sender and the webhook run
 * as they do in {@code spotkeeper run}. The latency is the receipt time less the warning's event time (both this machine's clock).
 */
@Command(name = "notify", mixinStandardHelpOptions = true,
        description = "B8: interruption warning at the controller → webhook message accepted, median and p99 over N warnings on the emulator.")
final class NotifyBench implements Callable<Integer> {
    static final double GOAL_MEDIAN_MS = 1000;
    /** The sender tells the first 3 events of one kind of a workload within 10 min; the rest are grouped. */
    static final int GROUPED_AFTER = 3;
    private static final String SPEC = """
            name: %s
            requirements:
              regions: [us-east-1]
              types: [m5.large, c5.large, m5.xlarge, c5.xlarge, m5.2xlarge]
            maxDuration: 1h
            buckets:
              checkpoints: s3://spotkeeper-bench/checkpoints
            run: >-
              d="$SPOTKEEPER_CHECKPOINT_DIR"; mkdir -p "$d"; trap 'touch "$d/.spotkeeper-ready"' USR1;
              while :; do sleep 0.2; done
            checkpoint:
              dir: checkpoint
              signal: SIGUSR1
              syncInterval: 2s
            notify:
              webhook: {url: env:SPOTKEEPER_BENCH_HOOK}
              on: [warning]
            """;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--warnings", defaultValue = "100", description = "Warnings to measure (default 100).")
    int warnings;

    @Option(names = "--parallel", defaultValue = "4", description = "Workloads interrupted at the same time (default 4).")
    int parallel;

    @Option(names = "--per-workload", defaultValue = "3",
            description = "Warnings per workload, its instance and then each replacement (default 3, at most 3).")
    int perWorkload;

    @Option(names = "--minutes", defaultValue = "25",
            description = "Ask for no more warnings after this many minutes; what was measured is reported (default 25).")
    double minutes;

    @Option(names = "--out", defaultValue = "target/bench", description = "Where to write b8-notify.csv and .svg.")
    Path out;

    private record Receipt(Instant at, Map<String, Object> body) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        if (warnings < 1 || parallel < 1 || perWorkload < 1 || perWorkload > GROUPED_AFTER || !(minutes > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--warnings and --parallel must be at least 1"
                    + " and --per-workload from 1 to " + GROUPED_AFTER + " (a fourth warning of one workload within"
                    + " 10 min is grouped, not sent), --minutes above 0; were " + warnings + ", " + parallel + ", "
                    + perWorkload + " and " + minutes);
        }
        Map<String, LinkedBlockingQueue<Receipt>> received = new ConcurrentHashMap<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/hook", x -> {
            Instant at = Instant.now();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            x.sendResponseHeaders(204, -1);
            x.close();
            Map<String, Object> m = Json.parseObject(body);
            queue(received, String.valueOf(m.get("workload"))).add(new Receipt(at, m));
        });
        hook.setExecutor(Executors.newFixedThreadPool(2));
        hook.start();
        String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
        Path work = Files.createTempDirectory("spotkeeper-b8-");
        LocalEmulator emulator = LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO).services(true)
                .workDirectory(work).start();
        try (EmulatorBackend backend = new EmulatorBackend(emulator);
             FisClient fis = fis(emulator)) {
            Controller controller = Jobs.controller(backend);
            Map<String, LinkedBlockingQueue<ControllerEvent>> events = new ConcurrentHashMap<>();
            NotificationSender sender = new NotificationSender(backend.store(), new NotifierContext(
                    NotifierContext.httpClient(), n -> n.equals("SPOTKEEPER_BENCH_HOOK") ? url : null,
                    backend.secrets(), backend.topics(), Duration.ofSeconds(10), NotifierContext.SLACK_API),
                    NotificationSender.Settings.defaults(), backend.clock(), line -> say(pw, "warning: " + line));
            sender.start();
            controller.addListener(e -> {
                sender.wake();
                queue(events, e.workload()).add(e);
            });
            controller.start(Duration.ofMillis(100));
            try {
                return measure(pw, backend, controller, fis, events, received);
            } finally {
                controller.close();
                sender.close();
            }
        } finally {
            hook.stop(0);
        }
    }

    private static <T> LinkedBlockingQueue<T> queue(Map<String, LinkedBlockingQueue<T>> byWorkload, String workload) {
        return byWorkload.computeIfAbsent(workload, k -> new LinkedBlockingQueue<>());
    }

    private static void say(PrintWriter pw, String line) {
        synchronized (pw) {
            pw.println(line);
            pw.flush();
        }
    }

    /** One measured warning. */
    private record Sample(int n, String workload, String instance, double ms) {
    }

    /**
     * {@code parallel} lanes, each running one workload at a time: the workload's instance is interrupted once it
     * has committed a checkpoint, then the instance that took over, up to {@code perWorkload} times; then the
     * workload is cancelled and the lane submits the next. A step that times out costs the lane its workload (said,
     * and counted), never a sample: only a warning whose message the receiver accepted is one.
     */
    private Integer measure(PrintWriter pw, EmulatorBackend backend, Controller controller, FisClient fis,
                            Map<String, LinkedBlockingQueue<ControllerEvent>> events,
                            Map<String, LinkedBlockingQueue<Receipt>> received) throws Exception {
        long began = System.nanoTime();
        AtomicInteger claimed = new AtomicInteger();
        AtomicInteger nextWorkload = new AtomicInteger();
        AtomicInteger problems = new AtomicInteger();
        List<Sample> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        int maxProblems = Math.max(5, warnings / 5);
        ExecutorService lanes = Executors.newFixedThreadPool(parallel);
        List<Future<?>> running = new ArrayList<>();
        for (int lane = 0; lane < parallel; lane++) {
            running.add(lanes.submit(() -> {
                while (claimed.get() < warnings && problems.get() < maxProblems && !spent(began)) {
                    String name = "b8-" + nextWorkload.incrementAndGet();
                    try {
                        lane(name, backend, controller, fis, queue(events, name), queue(received, name), claimed,
                                samples, pw, began);
                    } catch (RuntimeException | IOException | InterruptedException e) {
                        problems.incrementAndGet();
                        say(pw, "workload " + name + " given up: " + e.getMessage());
                        if (e instanceof InterruptedException) {
                            return null;
                        }
                    } finally {
                        controller.cancel(name);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        lanes.shutdown();
        if (samples.isEmpty() || (samples.size() < warnings && !spent(began))) {
            say(pw, "B8: " + problems.get() + " workloads given up; only " + samples.size() + " of " + warnings
                    + " warnings measured");
            return 1;
        }
        if (samples.size() < warnings) {
            say(pw, String.format(Locale.ROOT, "B8: %.0f min spent: %d of %d warnings measured, reported below",
                    minutes, samples.size(), warnings));
        }
        List<Sample> ordered = new ArrayList<>(samples);
        ordered.sort(java.util.Comparator.comparingInt(Sample::n));
        double[] sorted = ordered.stream().mapToDouble(Sample::ms).sorted().toArray();
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        double p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
        long workloads = ordered.stream().map(Sample::workload).distinct().count();
        say(pw, String.format(Locale.ROOT, "B8 over %d warnings (%d workloads, %d at a time, up to %d warnings each;"
                        + " %d given up; %.1f min): median %.1f ms, p99 %.1f ms, max %.1f ms (goal: median ≤ %.0f ms)",
                sorted.length, workloads, parallel, perWorkload, problems.get(),
                (System.nanoTime() - began) / 60e9, median, p99, sorted[sorted.length - 1], GOAL_MEDIAN_MS));
        List<String> csv = new ArrayList<>(List.of("warning,workload,instance,latency_ms"));
        for (Sample x : ordered) {
            csv.add(String.format(Locale.ROOT, "%d,%s,%s,%.1f", x.n(), x.workload(), x.instance(), x.ms()));
        }
        BarChart chart = new BarChart("B8 warning → webhook message accepted (" + sorted.length + " warnings)", "ms")
                .bar("median", median, "#4C78A8").bar("p99", p99, "#F58518").goal(GOAL_MEDIAN_MS, "goal: median 1 s");
        Files.createDirectories(out);
        Files.write(out.resolve("b8-notify.csv"), csv);
        Files.writeString(out.resolve("b8-notify.svg"), chart.toSvg());
        say(pw, "wrote " + out.resolve("b8-notify.csv") + " and " + out.resolve("b8-notify.svg"));
        return median <= GOAL_MEDIAN_MS && sorted.length >= warnings ? 0 : 1;
    }

    /** True once the time budget is spent: no more warnings are asked for. */
    private boolean spent(long began) {
        return System.nanoTime() - began > (long) (minutes * 60e9);
    }

    /** One workload of a lane: submitted, then its instance interrupted up to {@code perWorkload} times. */
    private void lane(String name, EmulatorBackend backend, Controller controller, FisClient fis,
                      LinkedBlockingQueue<ControllerEvent> events, LinkedBlockingQueue<Receipt> received,
                      AtomicInteger claimed, List<Sample> samples, PrintWriter pw, long began)
            throws IOException, InterruptedException {
        var workload = YamlSpecs.parse(name + ".yaml", String.format(Locale.ROOT, SPEC, name));
        backend.prepare(workload);
        controller.submit(workload);
        java.util.Set<String> interrupted = new java.util.HashSet<>();
        for (int k = 0; k < perWorkload; k++) {
            // The instance doing the work (the first, then each replacement) once it committed a checkpoint, so
            // that its job is up and answers the checkpoint signal.
            String victim = await(events, e -> e.kind() == Kind.CHECKPOINTED && e.message().startsWith("checkpoint ")
                    && !interrupted.contains(e.instanceId()), Duration.ofMinutes(2),
                    "a committed checkpoint of " + name).instanceId();
            if (spent(began)) {
                return;
            }
            int n = claimed.incrementAndGet();
            if (n > warnings) {
                return;
            }
            interrupted.add(victim);
            try {
                fis.startExperiment(b -> b.experimentTemplateId(template(fis, victim)));
                await(events, e -> e.kind() == Kind.AT_RISK && e.instanceId().equals(victim)
                        && e.message().startsWith("interruption warning"), Duration.ofSeconds(60),
                        "the warning on " + victim);
                Receipt r = receipt(received, victim, Duration.ofSeconds(30));
                double ms = Duration.between(Instant.parse((String) r.body().get("time")), r.at()).toNanos() / 1e6;
                int measured;
                synchronized (samples) {
                    samples.add(new Sample(n, name, victim, ms));
                    measured = samples.size();
                }
                say(pw, String.format(Locale.ROOT, "warning %3d on %s (%s #%d): message accepted %.1f ms after the"
                                + " controller received it [%d/%d measured, %.1f min]", n, victim, name, k + 1, ms,
                        measured, warnings, (System.nanoTime() - began) / 60e9));
            } catch (RuntimeException | InterruptedException e) {
                claimed.decrementAndGet(); // not measured: another warning takes its place
                throw e;
            }
        }
    }

    private static Receipt receipt(LinkedBlockingQueue<Receipt> received, String instance, Duration within)
            throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            Receipt r = received.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r != null && instance.equals(r.body().get("instance"))) {
                return r;
            }
        }
        throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.UNAVAILABLE, "no webhook message within "
                + within.toSeconds() + " s of the warning on " + instance);
    }

    private static ControllerEvent await(LinkedBlockingQueue<ControllerEvent> events,
                                         java.util.function.Predicate<ControllerEvent> what, Duration within,
                                         String name) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            ControllerEvent e = events.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e != null && what.test(e)) {
                return e;
            }
        }
        throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.UNAVAILABLE, "waited " + within.toSeconds() + " s for " + name);
    }

    private static FisClient fis(LocalEmulator emulator) {
        return SdkClients.configure(FisClient.builder(), new ClientSettings(emulator.endpoint(), EmulatorBackend.REGION,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(emulator.credentials().accessKeyId(),
                        emulator.credentials().secretAccessKey())), ClientSettings.DEFAULT_MAX_ATTEMPTS, null))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static String template(FisClient fis, String instanceId) {
        String arn = "arn:aws:ec2:" + EmulatorBackend.REGION + ":000000000000:instance/" + instanceId;
        CreateExperimentTemplateTargetInput target = CreateExperimentTemplateTargetInput.builder()
                .resourceType("aws:ec2:spot-instance").resourceArns(arn).selectionMode("ALL").build();
        CreateExperimentTemplateActionInput action = CreateExperimentTemplateActionInput.builder()
                .actionId("aws:ec2:send-spot-instance-interruptions")
                .parameters(Map.of("durationBeforeInterruption", "PT2M"))
                .targets(Map.of("SpotInstances", "victim")).build();
        return fis.createExperimentTemplate(b -> b.description("spotkeeper bench notify")
                .roleArn("arn:aws:iam::000000000000:role/spotkeeper-fis").stopConditions(s -> s.source("none"))
                .targets(Map.of("victim", target)).actions(Map.of("interrupt", action))).experimentTemplate().id();
    }
}
