package dev.spotkeeper.bench;

import dev.spotkeeper.cli.charts.BarChart;
import dev.spotkeeper.cli.job.JarPath;
import dev.spotkeeper.controller.BatchResult;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.QueueMessage;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.placement.Requirements;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.workload.CheckpointSpec;
import dev.spotkeeper.core.workload.JobExtension;
import dev.spotkeeper.core.workload.Limits;
import dev.spotkeeper.core.workload.RelocationSpec;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.services.lambda.LambdaFunctions;
import dev.spotkeeper.plane.Plane;
import dev.spotkeeper.plane.PlaneSettings;
import dev.spotkeeper.testkit.store.InMemoryStateStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spotkeeper bench control-plane}: benchmark B6. The emulator's market holds {@code --instances} model
 * instances (no process, no IMDS), each a job's, launched by a controller through EC2's API as any launch is; then a
 * stream of interruption warnings, rebalance recommendations and state changes about them is handled by one
 * controller on the in-memory store, one on DynamoDB Local, and the events function of the real function jar, run by
 * the emulator's Lambda runtime with 1, 4 and 16 invocations at once on DynamoDB Local. Each event's latency runs from
 * its put on the bench's queue to the end of the batch that handled it (its decision taken and its actions done:
 * the replacement launched, the records written, the outbox delivered).
 */
@Command(name = "control-plane", mixinStandardHelpOptions = true,
        description = "B6: events handled per second and p50/p99 handling latency over many model instances, by one"
                + " controller in memory, one on DynamoDB Local, and the Lambda path at 1, 4 and 16 invocations.")
final class ControlPlaneBench implements Callable<Integer> {
    static final double GOAL_MEMORY_RATE = 10_000;
    static final double GOAL_MEMORY_P99_MS = 10;
    static final double GOAL_DYNAMODB_RATE = 1_000;
    /** Near-linear: at c invocations, at least this share of c times the rate of one (c up to the cores). */
    static final double GOAL_SCALING = 0.75;
    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "000000000000";
    private static final String BUCKET = "spotkeeper-b6";
    private static final String AGENT = "true #";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--instances", defaultValue = "10000", description = "Model instances in the market (default 10000).")
    int instances;

    @Option(names = "--events", defaultValue = "20000", description = "Events per case (default 20000).")
    int events;

    @Option(names = "--batch", defaultValue = "10", description = "Messages per batch, as the queue's event source has it (default 10).")
    int batch;

    @Option(names = "--seconds", defaultValue = "120", description = "At most this long putting events, per case (default 120).")
    int seconds;

    @Option(names = "--cases", split = ",", defaultValue = "memory,dynamodb,lambda-1,lambda-4,lambda-16",
            description = "Which cases to run (default all: memory,dynamodb,lambda-1,lambda-4,lambda-16).")
    List<String> cases;

    @Option(names = "--function-jar", paramLabel = "FILE", description = "The function jar (default: the one next to the CLI's jar, or cli/target's).")
    Path functionJar;

    @Option(names = "--out", defaultValue = "target/bench", description = "Where to write b6-control-plane.csv and .svg.")
    Path out;

    /** What one case measured. */
    record Result(String name, int instances, int put, int handled, int duplicates, int failed, int completedTwice,
                  double seconds, double rate, double p50, double p99, double max, int concurrency,
                  double handlingP50, double handlingP99) {
    }

    @Override
    public Integer call() throws Exception {
        if (instances < 1 || events < 1 || batch < 1 || batch > 10 || seconds < 1) {
            throw SpotkeeperException.invalidArgument("--instances, --events and --seconds must be positive and --batch"
                    + " from 1 to 10 (SQS's largest batch)");
        }
        for (String c : cases) {
            if (!c.equals("memory") && !c.equals("dynamodb") && !c.matches("lambda-([1-9][0-9]?)")) {
                throw SpotkeeperException.invalidArgument("--cases: '" + c + "' is none of memory, dynamodb, lambda-N"
                        + " (N from 1 to 99)");
            }
        }
        Optional<Path> jar = Optional.ofNullable(functionJar).or(JarPath::functionJar)
                .or(() -> Optional.of(Path.of("cli", "target", JarPath.FUNCTION_JAR)).filter(Files::isRegularFile));
        if (cases.stream().anyMatch(c -> c.startsWith("lambda")) && (jar.isEmpty() || !Files.isRegularFile(jar.get()))) {
            throw SpotkeeperException.invalidArgument("the function jar is not there"
                    + (functionJar != null ? ": " + functionJar : "") + "; build it (mvn -B -pl cli -am package"
                    + " -DskipTests) or name it with --function-jar FILE");
        }
        PrintWriter pw = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("spotkeeper-b6-");
        List<Result> results = new ArrayList<>();
        Instant started = Instant.now();
        pw.printf(Locale.ROOT, "B6: %d model instances, %d events per case, batches of %d; %d cores%n", instances, events,
                batch, Runtime.getRuntime().availableProcessors());
        pw.flush();
        try (LocalEmulator emulator = LocalEmulator.builder().port(0).seed(6).bootDelay(Duration.ZERO).traces(false)
                .modelInstances(true).vcpuQuota(Integer.MAX_VALUE / 4).services(true)
                .workDirectory(work.resolve("emulator")).start()) {
            PlaneSettings.Keys keys = new PlaneSettings.Keys(emulator.credentials().accessKeyId(),
                    emulator.credentials().secretAccessKey());
            int n = 0;
            for (String c : cases) {
                n++;
                String table = "spotkeeper-b6-" + n;
                PlaneSettings settings = PlaneSettings.emulator(emulator.endpoint(), keys, REGION, AGENT)
                        .withTable(table).withAccount(ACCOUNT);
                try (Plane plane = Plane.open(settings, Clock.systemUTC(), w -> { })) {
                    plane.ports().ensureBucket(BUCKET);
                    if (c.equals("memory")) {
                        StateStore store = new InMemoryStateStore();
                        try (Controller controller = new Controller(store, plane.compute(), plane.queue(),
                                plane.market(), plane.objects(), plane.config(), plane.clock())) {
                            List<String> ids = seed(pw, c, n, controller, store);
                            results.add(measure(pw, c, ids, 1, m -> count(controller.handle(m), m)));
                        }
                    } else if (c.equals("dynamodb")) {
                        Controller controller = plane.controller();
                        List<String> ids = seed(pw, c, n, controller, plane.store());
                        results.add(measure(pw, c, ids, 1, m -> count(controller.handle(m), m)));
                    } else {
                        int concurrency = Integer.parseInt(c.substring("lambda-".length()));
                        List<String> ids = seed(pw, c, n, plane.controller(), plane.store());
                        results.add(lambda(pw, c, ids, concurrency, emulator, plane, table, jar.orElseThrow()));
                    }
                }
            }
        } finally {
            deleteTree(work);
        }
        return report(pw, results, Duration.between(started, Instant.now()));
    }

    /**
     * Submits one job per instance and runs reconcile passes until each holds one; returns the instances' ids. The
     * jobs of case {@code n} are named {@code b6-<n>-<i>}: the cases share the emulator's EC2, where a launch's client
     * token is made of its workload's name.
     */
    private List<String> seed(PrintWriter pw, String name, int n, Controller controller, StateStore store) {
        String prefix = "b6-" + n + "-";
        long t0 = System.nanoTime();
        for (int i = 0; i < instances; i++) {
            controller.submit(spec(prefix + i));
        }
        List<String> ids = new ArrayList<>();
        for (int pass = 0; pass < 5 && ids.size() < instances; pass++) {
            controller.reconcilePass();
            ids.clear();
            for (int i = 0; i < instances; i++) {
                store.instances(prefix + i).stream().findFirst().map(InstanceRecord::instanceId).ifPresent(ids::add);
            }
        }
        if (ids.size() < instances) {
            throw new IllegalStateException(name + ": only " + ids.size() + " of " + instances
                    + " jobs got an instance in 5 passes");
        }
        pw.printf(Locale.ROOT, "%-9s  %d jobs submitted and launched on model instances in %.1f s%n", name, instances,
                (System.nanoTime() - t0) / 1e9);
        pw.flush();
        return ids;
    }

    private static WorkloadSpec spec(String name) {
        return new WorkloadSpec(name, Requirements.builder().regions(Set.of(REGION))
                .types(Set.of("m5.large", "c5.large", "m5.xlarge", "c5.xlarge")).build(), "lowest-price",
                new Limits(Optional.empty(), Optional.empty(), Optional.empty()), "default",
                new WorkloadSpec.Buckets("", "", "s3://" + BUCKET + "/checkpoints", ""), RelocationSpec.never(),
                new JobExtension("", "true", new CheckpointSpec("checkpoint", "SIGUSR1", "", Duration.ofMinutes(10))));
    }

    /** Handles one batch; returns what became of it. */
    interface Handler {
        Outcome handle(List<QueueMessage> batch) throws Exception;
    }

    /** A batch's counts, and the messages to deliver again (reported failed). */
    record Outcome(int handled, int duplicates, int failed, List<QueueMessage> again) {
    }

    private static Outcome count(BatchResult r, List<QueueMessage> batch) {
        return new Outcome(r.summary().handled(), r.summary().duplicates(), r.summary().failed(), r.failed());
    }

    /** One event on the bench's queue: its message and when it was put there. */
    private record Put(QueueMessage message, long nanos) {
    }

    /**
     * Puts {@code events} events about {@code ids} on a bounded queue as fast as the consumers take them (for at most
     * {@code --seconds}); {@code concurrency} consumers take batches and hand them to {@code handler}. A message a
     * batch reports failed is put again, as SQS delivers it again.
     */
    Result measure(PrintWriter pw, String name, List<String> ids, int concurrency, Handler handler) throws Exception {
        BlockingQueue<Put> queue = new ArrayBlockingQueue<>(Math.max(2 * batch * concurrency, 20));
        List<String> bodies = events(ids);
        double[] latencies = new double[bodies.size()];
        double[] handling = new double[bodies.size()];
        AtomicInteger measured = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger twice = new AtomicInteger();
        AtomicInteger put = new AtomicInteger();
        AtomicLong outstanding = new AtomicLong();
        Map<String, Boolean> completed = new ConcurrentHashMap<>();
        long budget = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        volatileDone[0] = false;
        List<Thread> consumers = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        for (int c = 0; c < concurrency; c++) {
            Thread t = new Thread(() -> {
                List<Put> taken = new ArrayList<>(batch);
                while (true) {
                    taken.clear();
                    try {
                        Put first = queue.poll(100, TimeUnit.MILLISECONDS);
                        if (first == null) {
                            if (volatileDone[0] && outstanding.get() == 0) {
                                return;
                            }
                            continue;
                        }
                        taken.add(first);
                        queue.drainTo(taken, batch - 1);
                    } catch (InterruptedException e) {
                        return;
                    }
                    List<QueueMessage> messages = taken.stream().map(Put::message).toList();
                    Outcome o;
                    long start = System.nanoTime();
                    try {
                        o = handler.handle(messages);
                    } catch (Exception | Error e) {
                        errors.add(e);
                        o = new Outcome(0, 0, messages.size(), messages);
                    }
                    long done = System.nanoTime();
                    handled.addAndGet(o.handled());
                    duplicates.addAndGet(o.duplicates());
                    failed.addAndGet(o.failed());
                    Set<QueueMessage> again = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                    again.addAll(o.again());
                    for (Put p : taken) {
                        if (again.contains(p.message())) {
                            try {
                                queue.put(new Put(p.message(), p.nanos()));
                            } catch (InterruptedException e) {
                                return;
                            }
                            continue;
                        }
                        if (completed.putIfAbsent(p.message().receipt(), Boolean.TRUE) != null) {
                            twice.incrementAndGet();
                        }
                        int at = measured.getAndIncrement();
                        latencies[at] = (done - p.nanos()) / 1e6;
                        handling[at] = (done - start) / 1e6;
                        outstanding.decrementAndGet();
                    }
                }
            }, "b6-" + name + "-" + c);
            t.setDaemon(true);
            consumers.add(t);
            t.start();
        }
        long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (int i = 0; i < bodies.size() && System.nanoTime() < budget && errors.isEmpty(); i++) {
            QueueMessage m = new QueueMessage(bodies.get(i), "m-" + i);
            outstanding.incrementAndGet();
            put.incrementAndGet();
            queue.put(new Put(m, System.nanoTime()));
            if (System.nanoTime() > nextProgress) {
                double s = (System.nanoTime() - t0) / 1e9;
                pw.printf(Locale.ROOT, "%-9s  %d/%d events handled, %.0f/s so far%n", name, measured.get(),
                        bodies.size(), measured.get() / s);
                pw.flush();
                nextProgress += TimeUnit.SECONDS.toNanos(5);
            }
        }
        volatileDone[0] = true;
        for (Thread t : consumers) {
            t.join(TimeUnit.MINUTES.toMillis(10));
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        if (!errors.isEmpty()) {
            throw new IllegalStateException(name + ": a batch failed: " + errors.get(0), errors.get(0));
        }
        int count = measured.get();
        double[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        double[] batches = Arrays.copyOf(handling, count);
        Arrays.sort(batches);
        Result r = new Result(name, ids.size(), put.get(), handled.get(), duplicates.get(), failed.get(), twice.get(),
                elapsed, count / elapsed, rank(sorted, 0.50), rank(sorted, 0.99), count == 0 ? 0 : sorted[count - 1],
                concurrency, rank(batches, 0.50), rank(batches, 0.99));
        pw.printf(Locale.ROOT, "%-9s  %d events in %.1f s: %.1f events/s, put → done p50 %.2f ms, p99 %.2f ms, max %.1f ms;"
                        + " its batch alone p50 %.2f ms, p99 %.2f ms (%d handled, %d duplicates, %d failed and put again)%n",
                name, count, elapsed, r.rate(), r.p50(), r.p99(), r.max(), r.handlingP50(), r.handlingP99(), r.handled(),
                r.duplicates(), r.failed());
        pw.flush();
        return r;
    }

    private final boolean[] volatileDone = new boolean[1];

    /** The value at rank ⌈q·n⌉ of the sorted values. */
    static double rank(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int k = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, k) - 1)];
    }

    /**
     * {@code events} EventBridge events about the instances, in rounds over them: in round r, instance i gets a
     * rebalance recommendation, an interruption warning or a state change to running by (i + r) mod 3 in the first
     * three rounds, then state changes to stopping, stopped, shutting-down and terminated. Every event is news (its
     * key is new), so each is handled, none a duplicate.
     */
    static List<String> eventBodies(List<String> ids, int events) {
        String[] later = {"stopping", "stopped", "shutting-down", "terminated"};
        if (events > ids.size() * (3 + later.length)) {
            throw SpotkeeperException.invalidArgument("--events: at most " + ids.size() * (3 + later.length)
                    + " distinct events for " + ids.size() + " instances (7 each)");
        }
        List<String> out = new ArrayList<>(events);
        Instant now = Instant.now();
        for (int k = 0; k < events; k++) {
            int i = k % ids.size();
            int round = k / ids.size();
            String id = ids.get(i);
            String type;
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("instance-id", id);
            if (round < 3) {
                switch ((i + round) % 3) {
                    case 0 -> type = "EC2 Instance Rebalance Recommendation";
                    case 1 -> {
                        type = "EC2 Spot Instance Interruption Warning";
                        detail.put("instance-action", "terminate");
                    }
                    default -> {
                        type = "EC2 Instance State-change Notification";
                        detail.put("state", "running");
                    }
                }
            } else {
                type = "EC2 Instance State-change Notification";
                detail.put("state", later[round - 3]);
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("version", "0");
            e.put("id", "b6-" + k);
            e.put("detail-type", type);
            e.put("source", "aws.ec2");
            e.put("account", ACCOUNT);
            e.put("time", now.toString());
            e.put("region", REGION);
            e.put("resources", List.of("arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":instance/" + id));
            e.put("detail", detail);
            out.add(Json.write(e));
        }
        return out;
    }

    private List<String> events(List<String> ids) {
        return eventBodies(ids, events);
    }

    /**
     * The Lambda path: the events function of the function jar, created {@code concurrency} times in the emulator's
     * Lambda runtime (one execution environment each, as Lambda scales out), each invoked with batches as the queue's
     * event source invokes it, on the plane's table.
     */
    private Result lambda(PrintWriter pw, String name, List<String> ids, int concurrency, LocalEmulator emulator,
                          Plane plane, String table, Path jar) throws Exception {
        LambdaFunctions functions = emulator.lookup(LambdaFunctions.class).orElseThrow();
        byte[] code = Files.readAllBytes(jar);
        Map<String, String> environment = Map.of("SPOTKEEPER_QUEUE_URL", plane.queueUrl(), "SPOTKEEPER_TABLE", table,
                "SPOTKEEPER_CREATE_MISSING", "false", "SPOTKEEPER_ACCOUNT", ACCOUNT, "SPOTKEEPER_MARKET", "emulator",
                "SPOTKEEPER_IMAGE_ID", "ami-spotkeeper", "SPOTKEEPER_AGENT_COMMAND", AGENT);
        PrintStream stdout = System.out;
        // The functions log every controller event to stdout, as on Lambda; the bench prints its own lines only.
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        List<String> names = new ArrayList<>();
        try {
            for (int c = 0; c < concurrency; c++) {
                String fn = "b6-" + table.substring(table.lastIndexOf('-') + 1) + "-events-" + c;
                functions.create(fn, "java21", "dev.spotkeeper.lambda.QueueHandler::handleRequest", code, 300, 1024,
                        environment);
                names.add(fn);
            }
            // Each environment's first invocation opens its plane (a cold start): warm them before measuring.
            for (String fn : names) {
                functions.invoke(fn, "{\"Records\":[]}");
            }
            ThreadLocal<String> mine = new ThreadLocal<>();
            AtomicInteger next = new AtomicInteger();
            return measure(pw, name, ids, concurrency, batch -> {
                if (mine.get() == null) {
                    mine.set(names.get(next.getAndIncrement() % names.size()));
                }
                return invoke(functions, mine.get(), batch);
            });
        } finally {
            System.setOut(stdout);
            for (String fn : names) {
                functions.delete(fn);
            }
        }
    }

    /** One invocation with an SQS event as the event source builds it; its partial-batch failures are the ones again. */
    private static Outcome invoke(LambdaFunctions functions, String fn, List<QueueMessage> batch) {
        List<Object> records = new ArrayList<>();
        Map<String, QueueMessage> byId = new LinkedHashMap<>();
        for (QueueMessage m : batch) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("messageId", m.receipt());
            r.put("receiptHandle", m.receipt());
            r.put("body", m.body());
            r.put("attributes", Map.of());
            r.put("messageAttributes", Map.of());
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":spotkeeper-events");
            r.put("awsRegion", REGION);
            records.add(r);
            byId.put(m.receipt(), m);
        }
        LambdaFunctions.Result result = functions.invoke(fn, Json.write(Map.of("Records", records)));
        if (result.failed()) {
            return new Outcome(0, 0, batch.size(), batch);
        }
        List<QueueMessage> again = new ArrayList<>();
        if (Json.parse(result.payload()) instanceof Map<?, ?> response
                && response.get("batchItemFailures") instanceof List<?> failures) {
            for (Object f : failures) {
                if (f instanceof Map<?, ?> item && byId.get(String.valueOf(item.get("itemIdentifier"))) != null) {
                    again.add(byId.get(String.valueOf(item.get("itemIdentifier"))));
                }
            }
        }
        // The function's summary goes to its log; what the bench knows is what it did not report failed.
        return new Outcome(batch.size() - again.size(), 0, again.size(), again);
    }

    private int report(PrintWriter pw, List<Result> results, Duration took) throws IOException {
        List<String> csv = new ArrayList<>(List.of("case,instances,concurrency,events,handled,duplicates,failed_again,"
                + "completed_twice,seconds,events_per_s,p50_ms,p99_ms,max_ms,batch_p50_ms,batch_p99_ms"));
        BarChart chart = new BarChart("B6 control plane: events handled per second", "events/s");
        for (Result r : results) {
            csv.add(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%d,%.2f,%.2f,%.3f,%.3f,%.3f,%.3f,%.3f", r.name(),
                    r.instances(), r.concurrency(), r.put(), r.handled(), r.duplicates(), r.failed(), r.completedTwice(),
                    r.seconds(), r.rate(), r.p50(), r.p99(), r.max(), r.handlingP50(), r.handlingP99()));
            chart.bar(String.format(Locale.ROOT, "%s (p99 %.1f ms)", r.name(), r.p99()), r.rate(),
                    r.name().equals("memory") ? "#4C78A8" : r.name().equals("dynamodb") ? "#F58518" : "#54A24B");
        }
        chart.goal(GOAL_DYNAMODB_RATE, "goal 1,000/s on DynamoDB Local");
        Files.createDirectories(out);
        Files.write(out.resolve("b6-control-plane.csv"), csv);
        Files.writeString(out.resolve("b6-control-plane.svg"), chart.toSvg());
        int cores = Runtime.getRuntime().availableProcessors();
        boolean all = true;
        for (Result r : results) {
            if (r.name().equals("memory")) {
                all &= goal(pw, String.format(Locale.ROOT, "in memory: %.1f events/s (goal ≥ 10,000), p99 %.2f ms (goal < 10 ms)",
                        r.rate(), r.p99()), r.rate() >= GOAL_MEMORY_RATE && r.p99() < GOAL_MEMORY_P99_MS);
            } else if (r.name().equals("dynamodb")) {
                all &= goal(pw, String.format(Locale.ROOT, "DynamoDB Local: %.1f events/s (goal ≥ 1,000)", r.rate()),
                        r.rate() >= GOAL_DYNAMODB_RATE);
            }
        }
        Optional<Result> one = results.stream().filter(r -> r.name().equals("lambda-1")).findFirst();
        for (Result r : results) {
            if (one.isPresent() && r.name().startsWith("lambda-") && r.concurrency() > 1) {
                int expected = Math.min(r.concurrency(), cores);
                double speedup = r.rate() / one.get().rate();
                all &= goal(pw, String.format(Locale.ROOT, "Lambda at %d: %.1f events/s, %.2f× one invocation (goal ≥ %.2f×:"
                                + " near-linear up to %d cores)", r.concurrency(), r.rate(), speedup,
                        GOAL_SCALING * expected, cores), speedup >= GOAL_SCALING * expected);
            }
        }
        pw.println("wrote " + out.resolve("b6-control-plane.csv") + " and " + out.resolve("b6-control-plane.svg")
                + String.format(Locale.ROOT, " (%.1f min in all)", took.toMillis() / 60_000.0));
        pw.flush();
        return all ? 0 : 1;
    }

    private static boolean goal(PrintWriter pw, String line, boolean met) {
        pw.println((met ? "met:    " : "missed: ") + line);
        return met;
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: best effort
        }
    }
}
