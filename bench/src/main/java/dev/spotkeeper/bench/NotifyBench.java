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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * message about it. One job on the emulator is interrupted through FIS again and again (each time on the instance
 * that took it over); the controller, the notification sender and the webhook run as they do in
 * {@code spotkeeper run}. The latency is the receipt time less the warning's event time (both this machine's clock).
 */
@Command(name = "notify", mixinStandardHelpOptions = true,
        description = "B8: interruption warning at the controller → webhook message accepted, median and p99 over N warnings on the emulator.")
final class NotifyBench implements Callable<Integer> {
    static final double GOAL_MEDIAN_MS = 1000;
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
              syncInterval: 5s
            notify:
              webhook: {url: env:SPOTKEEPER_BENCH_HOOK}
              on: [warning]
            """;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--warnings", defaultValue = "100", description = "Warnings to measure (default 100).")
    int warnings;

    @Option(names = "--out", defaultValue = "target/bench", description = "Where to write b8-notify.csv and .svg.")
    Path out;

    private record Receipt(Instant at, Map<String, Object> body) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        LinkedBlockingQueue<Receipt> received = new LinkedBlockingQueue<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/hook", x -> {
            Instant at = Instant.now();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            x.sendResponseHeaders(204, -1);
            x.close();
            received.add(new Receipt(at, Json.parseObject(body)));
        });
        hook.start();
        String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
        Path work = Files.createTempDirectory("spotkeeper-b8-");
        LocalEmulator emulator = LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO).services(true)
                .workDirectory(work).start();
        try (EmulatorBackend backend = new EmulatorBackend(emulator);
             FisClient fis = fis(emulator)) {
            Controller controller = Jobs.controller(backend);
            LinkedBlockingQueue<ControllerEvent> events = new LinkedBlockingQueue<>();
            NotificationSender sender = new NotificationSender(backend.store(), new NotifierContext(
                    NotifierContext.httpClient(), n -> n.equals("SPOTKEEPER_BENCH_HOOK") ? url : null,
                    backend.secrets(), backend.topics(), Duration.ofSeconds(10), NotifierContext.SLACK_API),
                    NotificationSender.Settings.defaults(), backend.clock(), line -> pw.println("warning: " + line));
            sender.start();
            controller.addListener(e -> {
                sender.wake();
                events.add(e);
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

    private Integer measure(PrintWriter pw, EmulatorBackend backend, Controller controller, FisClient fis,
                            LinkedBlockingQueue<ControllerEvent> events, LinkedBlockingQueue<Receipt> received)
            throws IOException, InterruptedException {
        double[] ms = new double[warnings];
        List<String> csv = new ArrayList<>(List.of("warning,instance,latency_ms"));
        for (int i = 0; i < warnings; i++) {
            // A workload per warning: a fourth warning of one workload within 10 min would be grouped, not sent.
            String name = "b8-" + (i + 1);
            var workload = YamlSpecs.parse(name + ".yaml", String.format(Locale.ROOT, SPEC, name));
            backend.prepare(workload);
            controller.submit(workload);
            String victim = await(events, e -> e.workload().equals(name) && e.kind() == Kind.CHECKPOINTED
                    && e.message().startsWith("checkpoint "), Duration.ofMinutes(2), "a committed checkpoint").instanceId();
            fis.startExperiment(b -> b.experimentTemplateId(template(fis, victim)));
            await(events, e -> e.kind() == Kind.AT_RISK && e.instanceId().equals(victim)
                    && e.message().startsWith("interruption warning"), Duration.ofSeconds(60), "the warning");
            Receipt r = receipt(received, Duration.ofSeconds(30));
            ms[i] = Duration.between(Instant.parse((String) r.body().get("time")), r.at()).toNanos() / 1e6;
            csv.add(String.format(Locale.ROOT, "%d,%s,%.1f", i + 1, victim, ms[i]));
            pw.printf(Locale.ROOT, "warning %3d on %s: message accepted %.1f ms after the controller received it%n",
                    i + 1, victim, ms[i]);
            pw.flush();
            controller.cancel(name);
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        double p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
        pw.printf(Locale.ROOT, "B8 over %d warnings: median %.1f ms, p99 %.1f ms, max %.1f ms (goal: median ≤ %.0f ms)%n",
                warnings, median, p99, sorted[sorted.length - 1], GOAL_MEDIAN_MS);
        BarChart chart = new BarChart("B8 warning → webhook message accepted (" + warnings + " warnings)", "ms")
                .bar("median", median, "#4C78A8").bar("p99", p99, "#F58518").goal(GOAL_MEDIAN_MS, "goal: median 1 s");
        Files.createDirectories(out);
        Files.write(out.resolve("b8-notify.csv"), csv);
        Files.writeString(out.resolve("b8-notify.svg"), chart.toSvg());
        pw.println("wrote " + out.resolve("b8-notify.csv") + " and " + out.resolve("b8-notify.svg"));
        return median <= GOAL_MEDIAN_MS ? 0 : 1;
    }

    private static Receipt receipt(LinkedBlockingQueue<Receipt> received, Duration within) throws InterruptedException {
        Receipt r = received.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.UNAVAILABLE, "no webhook message within " + within.toSeconds() + " s of the warning");
        }
        return r;
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
