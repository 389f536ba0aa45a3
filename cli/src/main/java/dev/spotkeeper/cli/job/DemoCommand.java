package dev.spotkeeper.cli.job;

import dev.spotkeeper.spec.yaml.YamlSpecs;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.FaultInjectionPort;
import dev.spotkeeper.core.cloud.FaultInjectionPort.Fault;
import dev.spotkeeper.core.ledger.CostLedger;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.emulator.LocalEmulator;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spotkeeper demo}: the whole story on this machine. A small training-like program runs on an emulated
 * spot instance; midway an FIS experiment interrupts it, started through the FIS API as a user would start one; the
 * controller launches the replacement,
 * the agent evacuates the checkpoint, the replacement restores it and the job finishes, with its cost.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a small training-like job on the local emulator, interrupt its spot instance midway and"
                + " watch warning, evacuation, relocation, restore and completion, then the cost. No AWS account needed.")
public final class DemoCommand implements Callable<Integer> {
    /**
     * Counts to {@code steps}, one a second, keeping its step in the checkpoint directory and resuming from it.
     * The checkpoint directory is relative (to the instance's work directory): emulated instances share this
     * machine's disk, and only a directory of its own makes the replacement's restore a real one.
     */
    static final String SPEC = """
            name: demo-train
            requirements:
              regions: [us-east-1]
              types: [m5.large, c5.large, m5.xlarge]
            placement:
              strategy: lowest-price
            maxDuration: 15m
            buckets:
              checkpoints: s3://spotkeeper-demo/checkpoints
            run: >-
              d="$SPOTKEEPER_CHECKPOINT_DIR"; i=$(cat "$d/step" 2>/dev/null || echo 0);
              echo "training from step $i";
              trap 'echo $i > "$d/step"; touch "$d/.spotkeeper-ready"' USR1;
              while [ "$i" -lt %d ]; do i=$((i+1)); echo "step $i"; echo $i > "$d/step";
              awk "BEGIN{print $i/%d}" > "$d/../progress"; sleep 1; done; echo "training done"
            checkpoint:
              dir: checkpoint
              signal: SIGUSR1
              syncInterval: 5s
            """;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--steps", defaultValue = "30", description = "Training steps, one a second. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--interrupt-at", defaultValue = "10",
            description = "Interrupt the instance once the job has run this many seconds. Default: ${DEFAULT-VALUE}.")
    int interruptAt;

    /** Where the demo's webhook and Slack webhook options are read from: references, as in a workload file. */
    static final String WEBHOOK_ENV = "SPOTKEEPER_DEMO_WEBHOOK";
    static final String SLACK_ENV = "SPOTKEEPER_DEMO_SLACK_WEBHOOK";

    @Option(names = "--webhook", paramLabel = "URL",
            description = "Post the demo's events (launch, warning, evacuation, restore, completion) to this webhook as"
                    + " JSON. Default: $" + WEBHOOK_ENV + ", if set.")
    String webhook;

    @Option(names = "--slack-webhook", paramLabel = "URL",
            description = "Post them to this Slack incoming webhook. Default: $" + SLACK_ENV + ", if set.")
    String slackWebhook;

    /** The environment; a test replaces it. */
    java.util.function.Function<String, String> environment = System::getenv;

    /** The demo's spec with a notify: for the webhooks given, by reference to what the options hold. */
    private String withNotify(String text, java.util.function.Function<String, String> env) {
        boolean hook = env.apply(WEBHOOK_ENV) != null;
        boolean slack = env.apply(SLACK_ENV) != null;
        if (!hook && !slack) {
            return text;
        }
        return text + "notify:\n" + (hook ? "  webhook: {url: env:" + WEBHOOK_ENV + "}\n" : "")
                + (slack ? "  slack: {webhookUrl: env:" + SLACK_ENV + "}\n" : "")
                + "  on: [launched, rebalance, warning, evacuated, restored, relocated, on-demand, completed, failed,"
                + " limit]\n";
    }

    @Override
    public Integer call() throws Exception {
        if (steps < 2 || interruptAt < 1 || interruptAt >= steps) {
            throw SpotkeeperException.invalidArgument("--steps must be at least 2 and --interrupt-at between 1 and steps - 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        java.util.function.Function<String, String> env = name -> name.equals(WEBHOOK_ENV) && webhook != null ? webhook
                : name.equals(SLACK_ENV) && slackWebhook != null ? slackWebhook : environment.apply(name);
        String text = withNotify(String.format(Locale.ROOT, SPEC, steps, steps), env);
        out.println("starting the local emulator (EC2, S3, SQS, DynamoDB Local)...");
        out.flush();
        LocalEmulator emulator = LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO).services(true).start();
        try (EmulatorBackend backend = new EmulatorBackend(emulator)) {
            Controller controller = Jobs.controller(backend);
            try (Notifications notifications = Notifications.start(backend, controller, spec.commandLine().getErr(),
                    env)) {
                controller.addListener(e -> {
                    if (e.workload().equals("demo-train")) {
                        out.println(e);
                        out.flush();
                    }
                });
                var workload = YamlSpecs.parse("demo.yaml", text);
                backend.prepare(workload);
                controller.submit(workload);
                Instant started = null;
                boolean interrupted = false;
                Instant giveUp = Instant.now().plus(Duration.ofMinutes(5));
                while (Instant.now().isBefore(giveUp)) {
                    controller.runOnce();
                    WorkloadRecord w = Jobs.workload(backend, "demo-train");
                    List<InstanceRecord> instances = backend.store().instances("demo-train");
                    if (started == null && instances.stream().anyMatch(r -> r.state() == InstanceState.RUNNING)) {
                        started = Instant.now();
                    }
                    if (!interrupted && started != null && Instant.now().isAfter(started.plusSeconds(interruptAt))) {
                        InstanceRecord victim = instances.stream().filter(r -> r.state() == InstanceState.RUNNING)
                                .findFirst().orElseThrow();
                        out.println(">>> interrupting " + victim.instanceId() + " through FIS (an experiment of "
                                + Fault.SPOT_INTERRUPTION.actionId() + " on the workload's running spot instances,"
                                + " termination in 2 minutes)");
                        out.flush();
                        interrupt(backend, out);
                        interrupted = true;
                    }
                    if (w.status().isTerminal() && instances.stream().allMatch(r -> r.state().isTerminal())) {
                        notifications.flush();
                        summary(out, backend, w);
                        return w.status() == WorkloadStatus.SUCCEEDED ? 0 : 1;
                    }
                    Thread.sleep(500);
                }
            }
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "the demo did not finish in 5 minutes;"
                    + " its events above show where it stopped");
        }
    }

    /**
     * As a user would: an FIS experiment template that interrupts the workload's running spot instances (found by
     * their tags, created when missing) and an experiment started from it, through the SDK's FIS client against the
     * emulator's endpoint.
     */
    private static void interrupt(JobBackend backend, PrintWriter out) {
        FaultInjectionPort fis = backend.faultInjection();
        FaultInjectionPort.Template template = fis.ensureTemplate(new FaultInjectionPort.TemplateSpec("demo-train",
                EmulatorBackend.REGION, Fault.SPOT_INTERRUPTION, Map.of("spotkeeper:workload", "demo-train")));
        template.created().forEach(line -> out.println(">>> " + line));
        String experiment = fis.start(template.id(), "demo-train-" + backend.clock().millis());
        out.println(">>> started FIS experiment " + experiment + " from template " + template.id());
        out.flush();
    }

    private static void summary(PrintWriter out, JobBackend backend, WorkloadRecord w) {
        CostLedger ledger = new CostLedger(w.name());
        backend.store().ledger(w.name()).forEach(ledger::add);
        CostLedger.Summary s = ledger.summary();
        out.println();
        out.println("demo-train " + Jobs.status(w) + " on " + backend.store().instances(w.name()).size()
                + " instances; last checkpoint " + (w.lastCheckpoint().isEmpty() ? "none" : w.lastCheckpoint()));
        out.println(String.format(Locale.ROOT, "cost %s (spot %s, on-demand %s, storage %s, transfer %s);"
                        + " all on-demand %s; saved %.0f %%",
                Jobs.dollars(s.total()), Jobs.dollars(s.byKind().get(dev.spotkeeper.core.ledger.CostKind.SPOT)),
                Jobs.dollars(s.byKind().get(dev.spotkeeper.core.ledger.CostKind.ON_DEMAND)),
                Jobs.dollars(s.byKind().get(dev.spotkeeper.core.ledger.CostKind.STORAGE)),
                Jobs.dollars(s.byKind().get(dev.spotkeeper.core.ledger.CostKind.TRANSFER)),
                Jobs.dollars(s.allOnDemand()), s.savingsFraction() * 100));
        out.flush();
    }
}
