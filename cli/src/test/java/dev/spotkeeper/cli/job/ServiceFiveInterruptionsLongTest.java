package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.agent.database.MariaDbServer;
import dev.spotkeeper.awsclient.SecretsManagerStore;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.cloud.FaultInjectionPort;
import dev.spotkeeper.core.cloud.FaultInjectionPort.Fault;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * THE LONG TEST of a database service (about two minutes): a writer inserts numbered rows, each in its own
 * autocommit transaction, the whole time, while FIS interrupts the primary five times in a row (experiments started
 * through the FIS API, as a user would). Afterwards every acknowledged row is on the final primary, the table's
 * {@code CHECKSUM TABLE} equals that of a reference server fed the same acknowledged statements, and at no time did
 * two servers accept writes: a fencing prober writes to every live server of the service several times a second
 * (the replacement included, from the moment it listens while it restores) and at most one ever accepts, in the
 * order of the moves. The write unavailability of each move is printed.
 */
@Tag("long")
class ServiceFiveInterruptionsLongTest {
    static final Pattern LISTENING = Pattern.compile("database server on 127\\.0\\.0\\.1:(\\d+)");
    private static final String NAME = "emu-db5";
    private static final String SPEC = ServiceRig.spec(NAME, "spotkeeper-db5");
    private static final String TABLE = "CREATE TABLE appdb.acked (id INT PRIMARY KEY, note VARCHAR(40) NOT NULL)";
    private static final int MOVES = 5;

    private static LocalEmulator emulator;
    private static EmulatorBackend backend;
    private static SecretsManagerStore secrets;

    @TempDir
    Path reference;

    @BeforeAll
    static void start() throws Exception {
        ServiceRig.assumeMariaDb();
        emulator = ServiceRig.emulator(5);
        backend = new EmulatorBackend(emulator);
        secrets = ServiceRig.secrets(emulator);
    }

    @AfterAll
    static void stop() {
        if (secrets != null) {
            secrets.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** One write the writer sent: its id, the instance that acknowledged it (or none), when. */
    record Write(int id, String instance, long sentNanos, long doneNanos) {
    }

    /** One write a fencing probe saw accepted. */
    record Accepted(int round, String instance, long nanos) {
    }

    @Test
    void fiveInterruptionsThroughFis_loseNoAcknowledgedWrite_andNeverTwoServersTakeWrites() throws Exception {
        var spec = YamlSpecs.parse(NAME + ".yaml", SPEC);
        backend.prepare(spec);
        Controller controller = Jobs.controller(backend);
        controller.submit(spec);
        controller.start(Duration.ofMillis(200));
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Integer> ports = new ConcurrentHashMap<>();
        List<Write> acknowledged = Collections.synchronizedList(new ArrayList<>());
        List<Integer> ambiguous = Collections.synchronizedList(new ArrayList<>());
        List<Accepted> fence = Collections.synchronizedList(new ArrayList<>());
        List<String> order = new ArrayList<>();
        try (MariaDbServer ref = new MariaDbServer(MariaDbServer.Binaries.find(System.getenv()),
                new MariaDbServer.Layout(reference.resolve("ref")), "127.0.0.1", MariaDbServer.freeLoopbackPort(), 99)) {
            ref.install();
            ref.start(Duration.ofMinutes(2));
            String first = await("the primary to run").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> primary().filter(r -> r.state() == InstanceState.RUNNING), Optional::isPresent)
                    .orElseThrow().instanceId();
            order.add(first);
            // The agent reports running before its database's first start has put the generated password in the
            // secret store: wait for the secret, not only the state.
            String password = await("the application's secret").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> secrets.value("spotkeeper/" + NAME + "/app"), Optional::isPresent).orElseThrow();
            ports.put(first, readyPort(first));
            assertThat(sql(ports.get(first), password, TABLE + "; CREATE TABLE appdb.fence (round INT, at BIGINT)"))
                    .isEmpty();

            Thread prober = new Thread(() -> probe(stop, ports, password, fence), "fencing-prober");
            Thread writer = new Thread(() -> write(stop, ports, password, acknowledged, ambiguous), "writer");
            prober.setDaemon(true);
            writer.setDaemon(true);
            prober.start();
            writer.start();
            awaitAcks(acknowledged, first, 20);

            FaultInjectionPort fis = backend.faultInjection();
            FaultInjectionPort.Template template = fis.ensureTemplate(new FaultInjectionPort.TemplateSpec(NAME,
                    EmulatorBackend.REGION, Fault.SPOT_INTERRUPTION, Map.of("spotkeeper:workload", NAME)));
            for (int move = 1; move <= MOVES; move++) {
                String old = order.get(order.size() - 1);
                fis.start(template.id(), NAME + "-move-" + move);
                String next = await("move " + move + ": the replacement to take over").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> primary().filter(r -> !order.contains(r.instanceId())
                                && r.state() == InstanceState.RUNNING), Optional::isPresent).orElseThrow().instanceId();
                order.add(next);
                await("move " + move + ": the old primary to end").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> backend.store().instance(old).orElseThrow().state().isTerminal());
                awaitAcks(acknowledged, next, 10);
            }
            stop.set(true);
            writer.join(30_000);
            prober.join(30_000);

            String last = order.get(order.size() - 1);
            int port = ports.get(last);
            Set<Integer> present = new TreeSet<>();
            for (String id : sql(port, password, "SELECT id FROM appdb.acked").split("\n")) {
                if (!id.isBlank()) {
                    present.add(Integer.parseInt(id.strip()));
                }
            }
            List<Write> acks;
            synchronized (acknowledged) {
                acks = List.copyOf(acknowledged);
            }
            Set<Integer> ackedIds = acks.stream().map(Write::id).collect(Collectors.toCollection(TreeSet::new));
            Set<Integer> lost = new TreeSet<>(ackedIds);
            lost.removeAll(present);
            Set<Integer> unexpected = new TreeSet<>(present);
            unexpected.removeAll(ackedIds);
            // A write whose outcome the client could not know (the connection lost mid-commit) may have landed.
            Set<Integer> landed = new TreeSet<>(unexpected);
            landed.retainAll(Set.copyOf(ambiguous));
            unexpected.removeAll(landed);

            // The reference: the same statements, acknowledged ones (and ambiguous ones that landed), in id order.
            StringBuilder feed = new StringBuilder("CREATE DATABASE appdb;\n" + TABLE + ";\n");
            Set<Integer> fed = new TreeSet<>(ackedIds);
            fed.addAll(landed);
            fed.forEach(id -> feed.append(insert(id)).append(";\n"));
            ref.sql(feed.toString());
            String expected = ref.value("CHECKSUM TABLE appdb.acked").split("\t")[1];
            String actual = sql(port, password, "CHECKSUM TABLE appdb.acked").split("\t")[1];

            System.out.println(report(order, acks, ambiguous, landed, fence));
            assertThat(lost).as("acknowledged rows missing on the final primary").isEmpty();
            assertThat(unexpected).as("rows on the final primary nobody acknowledged nor sent ambiguously").isEmpty();
            assertThat(actual).as("CHECKSUM TABLE of the final primary against the reference").isEqualTo(expected);
            assertThat(ackedIds.size()).isGreaterThan(20 + MOVES * 10);
            assertThat(order).hasSize(MOVES + 1).doesNotHaveDuplicates();
            assertSingleWriter(order, acks, fence);
        } catch (AssertionError | RuntimeException e) {
            controller.events(NAME).forEach(ev -> System.out.println("event: " + ev.message()));
            for (InstanceRecord r : backend.store().instances(NAME)) {
                System.out.println("console of " + r.instanceId() + ":\n"
                        + backend.compute().consoleOutput(EmulatorBackend.REGION, r.instanceId()));
            }
            throw e;
        } finally {
            stop.set(true);
            controller.cancel(NAME);
            controller.close();
        }
    }

    /** At most one server accepted writes at any time, in the order of the moves, never going back. */
    private static void assertSingleWriter(List<String> order, List<Write> acks, List<Accepted> fence) {
        List<Accepted> seen;
        synchronized (fence) {
            seen = List.copyOf(fence);
        }
        Map<Integer, Set<String>> perRound = new LinkedHashMap<>();
        seen.forEach(a -> perRound.computeIfAbsent(a.round(), r -> new TreeSet<>()).add(a.instance()));
        assertThat(perRound.values()).as("fencing rounds in which two servers accepted a write")
                .allSatisfy(s -> assertThat(s).hasSize(1));
        assertThat(seen).as("fencing probes accepted").isNotEmpty();
        int at = 0;
        for (Accepted a : seen) {
            int i = order.indexOf(a.instance());
            assertThat(i).as("the server that accepted probe round " + a.round() + " comes no earlier in the moves")
                    .isGreaterThanOrEqualTo(at);
            at = i;
        }
        at = 0;
        for (Write w : acks) {
            int i = order.indexOf(w.instance());
            assertThat(i).as("the server that acknowledged row " + w.id() + " comes no earlier in the moves")
                    .isGreaterThanOrEqualTo(at);
            at = i;
        }
    }

    private static String report(List<String> order, List<Write> acks, List<Integer> ambiguous, Set<Integer> landed,
                                 List<Accepted> fence) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "five interruptions: %d rows acknowledged, %d ambiguous (%d landed), %d fencing probes accepted%n",
                acks.size(), ambiguous.size(), landed.size(), fence.size()));
        for (int m = 1; m < order.size(); m++) {
            String old = order.get(m - 1);
            String next = order.get(m);
            long lastOld = acks.stream().filter(w -> w.instance().equals(old)).mapToLong(Write::doneNanos).max()
                    .orElse(0);
            long firstNew = acks.stream().filter(w -> w.instance().equals(next)).mapToLong(Write::doneNanos).min()
                    .orElse(0);
            b.append(String.format(Locale.ROOT, "move %d %s -> %s: writes unavailable %.2f s%n", m, old, next,
                    (firstNew - lastOld) / 1e9));
        }
        return b.toString();
    }

    private static void awaitAcks(List<Write> acknowledged, String instance, int n) {
        await("rows acknowledged by " + instance).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    synchronized (acknowledged) {
                        return acknowledged.stream().filter(w -> w.instance().equals(instance)).count() >= n;
                    }
                });
    }

    static String insert(int id) {
        return "INSERT INTO appdb.acked VALUES (" + id + ", 'row " + id + "')";
    }

    /**
     * The client: each row in its own autocommit statement, to the live servers newest first; a server that refuses
     * (read-only, or not answering) is not a write; a failure whose outcome is unknown counts as ambiguous and the
     * next row gets a new id.
     */
    private static void write(AtomicBoolean stop, Map<String, Integer> ports, String password, List<Write> acked,
                              List<Integer> ambiguous) {
        int id = 1;
        while (!stop.get()) {
            long sent = System.nanoTime();
            boolean done = false;
            for (String instance : liveNewestFirst()) {
                Integer port = ports.get(instance);
                if (port == null) {
                    continue;
                }
                Outcome o = attempt(port, password, insert(id));
                if (o == Outcome.ACCEPTED) {
                    acked.add(new Write(id, instance, sent, System.nanoTime()));
                    done = true;
                    break;
                }
                if (o == Outcome.AMBIGUOUS) {
                    ambiguous.add(id);
                    done = true;
                    break;
                }
            }
            if (done) {
                id++;
            } else {
                pause(50);
            }
        }
    }

    /** Learns each live server's port from its console, and writes to every one of them each round. */
    private static void probe(AtomicBoolean stop, Map<String, Integer> ports, String password, List<Accepted> fence) {
        int round = 0;
        while (!stop.get()) {
            round++;
            for (String instance : liveNewestFirst()) {
                if (!ports.containsKey(instance)) {
                    String out = backend.compute().consoleOutput(EmulatorBackend.REGION, instance);
                    Matcher m = LISTENING.matcher(out);
                    Matcher r = ServiceRig.READY.matcher(out);
                    if (m.find()) {
                        ports.put(instance, Integer.parseInt(m.group(1)));
                    } else if (r.find()) {
                        ports.put(instance, Integer.parseInt(r.group(1)));
                    }
                }
                Integer port = ports.get(instance);
                if (port != null && attempt(port, password, "INSERT INTO appdb.fence VALUES (" + round + ", "
                        + System.nanoTime() + ")") == Outcome.ACCEPTED) {
                    fence.add(new Accepted(round, instance, System.nanoTime()));
                }
            }
            pause(150);
        }
    }

    private static List<String> liveNewestFirst() {
        List<String> live = new ArrayList<>(backend.store().instances(NAME).stream()
                .filter(r -> !r.state().isTerminal()).map(InstanceRecord::instanceId).toList());
        Collections.reverse(live);
        return live;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // the writer's pace between attempts, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    enum Outcome { ACCEPTED, REFUSED, AMBIGUOUS }

    /** Refused: read-only, access denied, or no connection made; anything else after connecting is ambiguous. */
    static Outcome attempt(int port, String password, String statement) {
        try {
            ProcessBuilder pb = new ProcessBuilder(ServiceRig.CLIENT.toString(), "--no-defaults", "--protocol=TCP",
                    "--host=127.0.0.1", "--port=" + port, "--user=appdb", "--connect-timeout=2", "--batch",
                    "--skip-column-names", "-e", statement);
            pb.environment().put("MYSQL_PWD", password);
            Process p = pb.redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Outcome.AMBIGUOUS;
            }
            if (p.exitValue() == 0) {
                return Outcome.ACCEPTED;
            }
            return out.matches("(?s).*ERROR (1290|1045|1044|1142|1146|2002|2003|2005|2006|2026) .*")
                    || out.contains("Can't connect") ? Outcome.REFUSED : Outcome.AMBIGUOUS;
        } catch (java.io.IOException e) {
            return Outcome.REFUSED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.REFUSED;
        }
    }

    private static Optional<InstanceRecord> primary() {
        return ServiceRig.primary(backend, NAME);
    }

    private static int readyPort(String instanceId) {
        return ServiceRig.readyPort(backend, instanceId);
    }

    private static String sql(int port, String password, String statement) throws Exception {
        return ServiceRig.sql("127.0.0.1", port, password, statement);
    }
}
