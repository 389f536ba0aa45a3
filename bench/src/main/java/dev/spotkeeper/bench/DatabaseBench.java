package dev.spotkeeper.bench;

import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.SecretsManagerStore;
import dev.spotkeeper.cli.charts.BarChart;
import dev.spotkeeper.cli.job.EmulatorBackend;
import dev.spotkeeper.cli.job.Jobs;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.FaultInjectionPort;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import dev.spotkeeper.testkit.database.ServiceOnEmulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * B5: a database service on the local emulator (the real agent and the Debian MariaDB), a table of {@code --rows}
 * rows under a steady insert load (one autocommit insert at a time, each acknowledged commit recorded), and
 * {@code --moves} interruptions in a row through the FIS API. Per move: the write unavailability the client saw,
 * the time from the experiment to the replacement serving (restored, caught up and verified), its restore from S3
 * and catch-up and the lag at hand-over (from its take-over record), the bytes shipped to S3 during the move; then
 * the acknowledged writes missing on the primary. Always as the last step, a loss without warning (the primary
 * terminated through EC2 TerminateInstances) and its data at risk in seconds of writes.
 */
@Command(name = "database", mixinStandardHelpOptions = true,
        description = "B5: N interruptions through FIS of a MariaDB service under a steady insert load on the local"
                + " emulator: per move the write unavailability (goal median <= 10 s), the time to the replacement"
                + " serving (goal <= 60 s), its restore and catch-up, the bytes shipped; lost acknowledged writes (must"
                + " be 0); then a loss without warning (TerminateInstances) and its data at risk (goal <= 5 s).")
public final class DatabaseBench implements Callable<Integer> {
    static final double GOAL_UNAVAILABLE_S = 10;
    static final double GOAL_READY_S = 60;
    static final double GOAL_AT_RISK_S = 5;
    private static final String NAME = "bench-db";
    private static final String BUCKET = "spotkeeper-bench-db";
    private static final String SPEC = ServiceOnEmulator.spec(NAME, BUCKET);
    private static final String DB_PREFIX = "checkpoints/" + NAME + "/db/";
    private static final Pattern RESTORE_SECONDS = Pattern.compile("restored checkpoint=gtid:\\S* .*?seconds=([0-9.]+)");
    private static final Duration LOSS_AFTER = Duration.ofSeconds(10);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--moves", defaultValue = "5", description = "Interruptions in a row (default ${DEFAULT-VALUE}).")
    int moves;

    @Option(names = "--rows", defaultValue = "1000000",
            description = "Rows in the table before the load starts (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--out", defaultValue = "target/bench",
            description = "Where to write database.csv and database.svg (default ${DEFAULT-VALUE}).")
    Path out;

    /** One acknowledged insert: its id, the instance that acknowledged it, when (nanoTime). */
    private record Ack(int id, String instance, long nanos) {
    }

    /**
     * One move's figures; the replacement's steps from its take-over record ({@code takeover/g<n>.json}, written by
     * the agent): the restore from S3, the catch-up after it, the old primary's transactions it had not applied when
     * the hand-over came (-1: not recorded).
     */
    record Move(int n, String from, String to, double unavailableSeconds, double readySeconds, long shippedBytes,
                double restoreSeconds, double catchUpSeconds, long lagTransactions) {
    }

    /**
     * The loss without warning: the primary terminated through EC2 TerminateInstances; the data at risk is the last
     * acknowledged write's time less the time of the newest write present on the replacement.
     */
    record Loss(String from, String to, double unavailableSeconds, double readySeconds, double restoreSeconds,
                double atRiskSeconds, long lostAcknowledged) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        if (moves < 1 || moves > 20 || rows < 0) {
            throw SpotkeeperException.invalidArgument("--moves must be 1 to 20 and --rows at least 0");
        }
        if (!ServiceOnEmulator.mariaDbInstalled()) {
            throw SpotkeeperException.invalidArgument("MariaDB is not installed here (Debian: apt-get install"
                    + " mariadb-server mariadb-client mariadb-backup)");
        }
        Files.createDirectories(out);
        LocalEmulator emulator = LocalEmulator.builder().port(0).seed(1).bootDelay(Duration.ZERO).services(true)
                .start();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey()));
        try (EmulatorBackend backend = new EmulatorBackend(emulator);
             SecretsManagerStore secrets = new SecretsManagerStore(new ClientSettings(emulator.endpoint(),
                     EmulatorBackend.REGION, credentials, 3, null));
             S3Client s3 = S3Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                     .forcePathStyle(true).credentialsProvider(credentials)
                     .httpClient(UrlConnectionHttpClient.create()).build();
             Ec2Client ec2 = Ec2Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
            return run(pw, backend, secrets, s3, ec2);
        }
    }

    private int run(PrintWriter pw, EmulatorBackend backend, SecretsManagerStore secrets, S3Client s3, Ec2Client ec2)
            throws Exception {
        var workload = YamlSpecs.parse(NAME + ".yaml", SPEC);
        backend.prepare(workload);
        Controller controller = Jobs.controller(backend);
        controller.submit(workload);
        controller.start(Duration.ofMillis(200));
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Integer> ports = new ConcurrentHashMap<>();
        List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
        List<Move> figures = new ArrayList<>();
        try {
            String first = until(Duration.ofMinutes(3), "the primary to run", () -> primary(backend)
                    .filter(r -> r.state() == InstanceState.RUNNING).map(InstanceRecord::instanceId));
            String password = secrets.value("spotkeeper/" + NAME + "/app").orElseThrow(() ->
                    SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "the application password is not stored"));
            ports.put(first, port(backend, first));
            pw.printf(Locale.ROOT, "B5 database: primary %s up; loading %d rows%n", first, rows);
            pw.flush();
            sql(ports.get(first), password, "CREATE TABLE appdb.load (id INT PRIMARY KEY, note VARCHAR(40) NOT NULL)"
                    + (rows > 0 ? "; INSERT INTO appdb.load SELECT seq, CONCAT('row ', seq) FROM appdb.seq_1_to_" + rows
                    : "") + "; CREATE TABLE appdb.acked (id INT PRIMARY KEY)");
            Thread writer = new Thread(() -> write(stop, backend, ports, password, acks), "b5-writer");
            writer.setDaemon(true);
            writer.start();
            until(Duration.ofSeconds(60), "rows acknowledged", () -> acks.size() >= 10 ? Optional.of(1)
                    : Optional.empty());
            FaultInjectionPort fis = backend.faultInjection();
            FaultInjectionPort.Template template = fis.ensureTemplate(new FaultInjectionPort.TemplateSpec(NAME,
                    EmulatorBackend.REGION, FaultInjectionPort.Fault.SPOT_INTERRUPTION,
                    Map.of("spotkeeper:workload", NAME)));
            String current = first;
            for (int n = 1; n <= moves; n++) {
                String old = current;
                long bytesBefore = stored(s3);
                long began = System.nanoTime();
                fis.start(template.id(), NAME + "-" + n + "-" + System.currentTimeMillis());
                String next = until(Duration.ofMinutes(3), "move " + n + ": the replacement serving",
                        () -> primary(backend).filter(r -> !r.instanceId().equals(old)
                                && r.state() == InstanceState.RUNNING).map(InstanceRecord::instanceId));
                double ready = (System.nanoTime() - began) / 1e9;
                until(Duration.ofSeconds(60), "move " + n + ": the old primary ended", () -> backend.store()
                        .instance(old).filter(r -> r.state().isTerminal()).map(r -> 1));
                until(Duration.ofSeconds(60), "move " + n + ": writes on the new primary", () -> ackedBy(acks, next)
                        >= 5 ? Optional.of(1) : Optional.empty());
                long lastOld = lastOn(acks, old, true);
                long firstNew = lastOn(acks, next, false);
                Map<?, ?> took = takeOver(s3);
                Move m = new Move(n, old, next, (firstNew - lastOld) / 1e9, ready, stored(s3) - bytesBefore,
                        number(took, "restoreSeconds"), number(took, "catchUpSeconds"),
                        (long) number(took, "lagTransactions"));
                figures.add(m);
                pw.printf(Locale.ROOT, "move %d %s -> %s: writes unavailable %.2f s, replacement serving %.1f s after"
                        + " the experiment (restore %.1f s, catch-up %.1f s, lag at hand-over %d transactions), %d"
                        + " bytes shipped%n", n, old, next, m.unavailableSeconds(), m.readySeconds(),
                        m.restoreSeconds(), m.catchUpSeconds(), m.lagTransactions(), m.shippedBytes());
                pw.flush();
                current = next;
            }
            // Every write acknowledged over the announced moves, checked before the loss (which may lose some).
            // The writer goes on: only writes acknowledged before the query began must be in its answer.
            long asked = System.nanoTime();
            Set<Integer> present = present(ports.get(current), password);
            long lost;
            long acknowledged;
            synchronized (acks) {
                lost = acks.stream().filter(a -> a.nanos() < asked && !present.contains(a.id())).count();
                acknowledged = acks.stream().filter(a -> a.nanos() < asked).count();
            }
            pw.printf(Locale.ROOT, "%d acknowledged writes over %d moves, %d lost (goal 0)%n", acknowledged, moves,
                    lost);
            pw.flush();
            Loss loss = loss(pw, backend, ec2, ports, password, acks, current);
            current = loss.to();
            stop.set(true);
            writer.join(30_000);
            String loadRows = sql(ports.get(current), password, "SELECT COUNT(*) FROM appdb.load");
            pw.printf(Locale.ROOT, "the %s-row table has %s rows on the final primary%n", rows, loadRows);
            double median = median(figures.stream().mapToDouble(Move::unavailableSeconds).toArray());
            double medianReady = median(figures.stream().mapToDouble(Move::readySeconds).toArray());
            pw.printf(Locale.ROOT, "median write unavailability %.2f s (goal <= %.0f s); median replacement serving"
                    + " %.1f s after the experiment (goal <= %.0f s)%n", median, GOAL_UNAVAILABLE_S, medianReady,
                    GOAL_READY_S);
            pw.printf(Locale.ROOT, "loss without warning: data at risk %.2f s of writes (goal <= %.0f s), %d"
                    + " acknowledged writes lost%n", loss.atRiskSeconds(), GOAL_AT_RISK_S, loss.lostAcknowledged());
            write(figures, lost, loss);
            pw.println("wrote " + out.resolve("database.csv") + " and " + out.resolve("database.svg"));
            pw.flush();
            return lost == 0 ? 0 : 1;
        } catch (SpotkeeperException e) {
            // What the controller saw last says where a move stopped.
            List<String> seen = controller.events(NAME).stream().map(ev -> ev.instanceId() + " " + ev.kind() + ": "
                    + ev.message()).toList();
            seen.subList(Math.max(0, seen.size() - 12), seen.size()).forEach(line -> pw.println("  event " + line));
            pw.flush();
            throw e;
        } finally {
            stop.set(true);
            controller.cancel(NAME);
            controller.close();
        }
    }

    /**
     * The last step: the primary terminated through EC2 TerminateInstances, no warning. Waits for the new primary
     * (restored from S3 alone) to take writes, then compares what it holds with what the old one acknowledged.
     */
    private static Loss loss(PrintWriter pw, EmulatorBackend backend, Ec2Client ec2,
                             Map<String, Integer> ports, String password, List<Ack> acks, String old)
            throws Exception {
        // A primary that has served a while under the load (not one that just took over): 10 s of its writes.
        until(Duration.ofSeconds(90), "the loss: 10 s of writes on " + old, () -> lastOn(acks, old, true)
                - lastOn(acks, old, false) >= LOSS_AFTER.toNanos() ? Optional.of(1) : Optional.empty());
        long began = System.nanoTime();
        ec2.terminateInstances(b -> b.instanceIds(old));
        String next = until(Duration.ofMinutes(4), "the loss: a new primary serving", () -> primary(backend)
                .filter(r -> !r.instanceId().equals(old) && r.state() == InstanceState.RUNNING)
                .map(InstanceRecord::instanceId));
        double ready = (System.nanoTime() - began) / 1e9;
        until(Duration.ofSeconds(60), "the loss: writes on the new primary", () -> ackedBy(acks, next) >= 5
                ? Optional.of(1) : Optional.empty());
        ports.computeIfAbsent(next, id -> {
            try {
                return port(backend, id);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Set<Integer> present = present(ports.get(next), password);
        List<Ack> onOld;
        synchronized (acks) {
            onOld = acks.stream().filter(a -> a.instance().equals(old)).toList();
        }
        long last = onOld.stream().mapToLong(Ack::nanos).max().orElse(0);
        long newestPresent;
        synchronized (acks) {
            // The newest acknowledged write the replacement holds, whichever primary took it.
            newestPresent = acks.stream().filter(a -> a.nanos() <= last && present.contains(a.id()))
                    .mapToLong(Ack::nanos).max().orElse(0);
        }
        long lostOnOld = onOld.stream().filter(a -> !present.contains(a.id())).count();
        // Its restore time, from its agent's `restored` report as its console shows it.
        Matcher restored = RESTORE_SECONDS.matcher(backend.compute().consoleOutput(EmulatorBackend.REGION, next));
        double restore = restored.find() ? Double.parseDouble(restored.group(1)) : -1;
        Loss l = new Loss(old, next, (lastOn(acks, next, false) - last) / 1e9, ready, restore,
                (last - newestPresent) / 1e9, lostOnOld);
        pw.printf(Locale.ROOT, "loss %s -> %s (TerminateInstances, no warning): replacement serving %.1f s after it"
                + " (restore %.1f s), writes unavailable %.2f s; data at risk %.2f s of writes, %d of %d acknowledged"
                + " writes on the lost primary missing%n", old, next, l.readySeconds(), l.restoreSeconds(),
                l.unavailableSeconds(), l.atRiskSeconds(), l.lostAcknowledged(), onOld.size());
        pw.flush();
        return l;
    }

    private static Set<Integer> present(int port, String password) throws IOException {
        Set<Integer> present = new TreeSet<>();
        for (String id : sql(port, password, "SELECT id FROM appdb.acked").split("\n")) {
            if (!id.isBlank()) {
                present.add(Integer.parseInt(id.strip()));
            }
        }
        return present;
    }

    /** The newest take-over record the replacements wrote (the one of the move just made). */
    private static Map<?, ?> takeOver(S3Client s3) {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(DB_PREFIX + "takeover/")).contents().stream()
                .map(S3Object::key).filter(k -> k.matches(".*/g\\d+\\.json"))
                .max(java.util.Comparator.comparingInt(k -> Integer.parseInt(k.replaceAll(".*/g(\\d+)\\.json", "$1"))))
                .map(k -> dev.spotkeeper.core.json.Json.parse(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(k))
                        .asUtf8String()))
                .filter(Map.class::isInstance).map(m -> (Map<?, ?>) m).orElse(Map.of());
    }

    private static double number(Map<?, ?> record, String key) {
        return record.get(key) instanceof Number n ? n.doubleValue() : -1;
    }

    private void write(List<Move> figures, long lost, Loss loss) throws IOException {
        List<String> csv = new ArrayList<>(List.of("move,from,to,write_unavailable_s,replacement_serving_s,"
                + "restore_s,catch_up_s,lag_at_hand_over_tx,shipped_bytes,data_at_risk_s,lost_acknowledged"));
        BarChart chart = new BarChart("B5 database: write unavailability per move", "s");
        for (Move m : figures) {
            csv.add(String.format(Locale.ROOT, "%d,%s,%s,%.3f,%.3f,%.3f,%.3f,%d,%d,,%d", m.n(), m.from(), m.to(),
                    m.unavailableSeconds(), m.readySeconds(), m.restoreSeconds(), m.catchUpSeconds(),
                    m.lagTransactions(), m.shippedBytes(), lost));
            chart.bar("move " + m.n(), m.unavailableSeconds());
        }
        csv.add(String.format(Locale.ROOT, "loss,%s,%s,%.3f,%.3f,%.3f,,,,%.3f,%d", loss.from(), loss.to(),
                loss.unavailableSeconds(), loss.readySeconds(), loss.restoreSeconds(), loss.atRiskSeconds(),
                loss.lostAcknowledged()));
        chart.goal(GOAL_UNAVAILABLE_S, "goal " + (int) GOAL_UNAVAILABLE_S + " s");
        Files.write(out.resolve("database.csv"), csv);
        Files.writeString(out.resolve("database.svg"), chart.toSvg());
    }

    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static long stored(S3Client s3) {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().mapToLong(S3Object::size).sum();
    }

    private static long ackedBy(List<Ack> acks, String instance) {
        synchronized (acks) {
            return acks.stream().filter(a -> a.instance().equals(instance)).count();
        }
    }

    private static long lastOn(List<Ack> acks, String instance, boolean last) {
        synchronized (acks) {
            var times = acks.stream().filter(a -> a.instance().equals(instance)).mapToLong(Ack::nanos);
            return last ? times.max().orElse(0) : times.min().orElse(0);
        }
    }

    /** The load: one autocommit insert at a time to the live servers, newest first; a refusal is no write. */
    private static void write(AtomicBoolean stop, EmulatorBackend backend, Map<String, Integer> ports, String password,
                              List<Ack> acks) {
        int id = 1;
        while (!stop.get()) {
            boolean done = false;
            List<String> live = new ArrayList<>(backend.store().instances(NAME).stream()
                    .filter(r -> !r.state().isTerminal()).map(InstanceRecord::instanceId).toList());
            Collections.reverse(live);
            for (String instance : live) {
                if (!ports.containsKey(instance)) {
                    ServiceOnEmulator.readyPort(backend.compute().consoleOutput(EmulatorBackend.REGION, instance))
                            .ifPresent(p -> ports.put(instance, p));
                }
                Integer port = ports.get(instance);
                if (port != null && attempt(port, password, "INSERT INTO appdb.acked VALUES (" + id + ")")) {
                    acks.add(new Ack(id, instance, System.nanoTime()));
                    done = true;
                    break;
                }
            }
            if (done) {
                id++;
            } else {
                try {
                    Thread.sleep(50); // the client's pace between attempts, not a wait for a condition
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static boolean attempt(int port, String password, String statement) {
        try {
            return client(port, password, statement).exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static ServiceOnEmulator.Result client(int port, String password, String statement) throws IOException {
        return ServiceOnEmulator.run("127.0.0.1", port, password, statement, Duration.ofSeconds(2),
                Duration.ofSeconds(120));
    }

    private static String sql(int port, String password, String statement) throws IOException {
        ServiceOnEmulator.Result r = client(port, password, statement);
        if (r.exit() != 0) {
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "SQL failed on the service: " + r.out());
        }
        return r.out();
    }

    private static Optional<InstanceRecord> primary(EmulatorBackend backend) {
        return ServiceOnEmulator.primary(backend.store(), NAME);
    }

    private static int port(EmulatorBackend backend, String instance) throws InterruptedException {
        return until(Duration.ofSeconds(60), "the database's port in the console", () -> {
            java.util.OptionalInt port = ServiceOnEmulator.readyPort(backend.compute().consoleOutput(
                    EmulatorBackend.REGION, instance));
            return port.isPresent() ? Optional.of(port.getAsInt()) : Optional.empty();
        });
    }

    /** Polls {@code what} every 200 ms until it has a value, or fails at the deadline saying what it waited for. */
    private static <T> T until(Duration deadline, String what, java.util.function.Supplier<Optional<T>> probe)
            throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            Thread.sleep(200);
        }
        throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "B5: gave up waiting for " + what + " after "
                + deadline.toSeconds() + " s");
    }
}
