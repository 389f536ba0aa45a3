package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.cli.Main;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stable endpoint end to end on the local emulator, with the real agent and MariaDB: {@code spotkeeper endpoint}
 * gives host and port; rows are written through them; after an interruption and the hand-over the same host and port
 * reach the new primary, which has every row; the password is printed only with {@code --show-password}.
 */
class ServiceEndpointOnEmulatorTest {
    private static final String SPEC = ServiceRig.spec("emu-ep", "spotkeeper-db");

    @TempDir
    static Path work;
    private static LocalEmulator emulator;
    private static EmulatorBackend backend;

    @BeforeAll
    static void start() throws Exception {
        ServiceRig.assumeMariaDb();
        emulator = ServiceRig.emulator(1);
        backend = new EmulatorBackend(emulator);
        InPlaneBackend view = new InPlaneBackend(backend, work.resolve("journal.log"), w -> { }, "test plane");
        JobBackends.install(o -> view);
    }

    @AfterAll
    static void stop() {
        JobBackends.uninstall();
        if (backend != null) {
            backend.close();
        }
    }

    private record Ran(int code, String out, String err) {
    }

    private static Ran cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Ran(code, out.toString(), err.toString());
    }

    @Test
    void theEndpoint_staysTheSameAcrossAMove_andReachesTheNewPrimaryWithEveryRow() throws Exception {
        var spec = YamlSpecs.parse("emu-ep.yaml", SPEC);
        backend.prepare(spec);
        Controller controller = Jobs.controller(backend);
        controller.submit(spec);
        controller.start(Duration.ofMillis(200));
        List<String> printed = new ArrayList<>();
        try {
            String first = await("the primary to run").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> primary().filter(r -> r.state() == InstanceState.RUNNING), Optional::isPresent)
                    .orElseThrow().instanceId();
            Ran shown = await("the endpoint").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> cli("endpoint", "emu-ep", "--json", "--show-password"), r -> r.code() == 0);
            Map<String, Object> before = Json.parseObject(shown.out().strip());
            assertThat(before.keySet()).containsExactly("host", "port", "user", "database", "password");
            assertThat(before).containsEntry("host", "127.0.0.1").containsEntry("user", "appdb")
                    .containsEntry("database", "appdb");
            String host = (String) before.get("host");
            int port = ((Number) before.get("port")).intValue();
            String password = (String) before.get("password");
            assertThat(password).isNotBlank();

            long began = System.nanoTime();
            Ran plain = cli("endpoint", "emu-ep", "--json");
            long tookMillis = (System.nanoTime() - began) / 1_000_000;
            assertThat(plain.code()).isZero();
            assertThat(Json.parseObject(plain.out().strip()).keySet()).containsExactly("host", "port", "user", "database");
            assertThat(tookMillis).as("endpoint --json on the local plane, ms").isLessThan(1_000);
            printed.add(plain.out());
            printed.add(cli("endpoint", "emu-ep").out());

            await("the endpoint to reach the primary").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> sql(host, port, password, "SELECT 1").equals("1"));
            sql(host, port, password, "CREATE TABLE appdb.acked (id INT PRIMARY KEY)");
            List<Integer> acknowledged = new ArrayList<>();
            for (int i = 1; i <= 25; i++) {
                sql(host, port, password, "INSERT INTO appdb.acked VALUES (" + i + ")");
                acknowledged.add(i);
            }

            assertThat(emulator.instances().interrupt(first, Duration.ofSeconds(90))).isTrue();
            String second = await("the replacement to take over").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> primary().filter(r -> !r.instanceId().equals(first)
                            && r.state() == InstanceState.RUNNING), Optional::isPresent).orElseThrow().instanceId();
            await("the old primary to end").atMost(Duration.ofSeconds(120))
                    .until(() -> backend.store().instance(first).orElseThrow().state().isTerminal());
            await("the address to move").atMost(Duration.ofSeconds(30)).until(() -> backend.addresses().orElseThrow()
                    .find(EmulatorBackend.REGION, "emu-ep").flatMap(a -> a.instanceId()).equals(Optional.of(second)));

            Ran after = cli("endpoint", "emu-ep", "--json");
            assertThat(after.out()).isEqualTo(plain.out());
            printed.add(after.out());
            String rows = await("the same host:port to answer from the new primary").atMost(Duration.ofSeconds(30))
                    .ignoreExceptions().until(() -> sql(host, port, password,
                            "SELECT GROUP_CONCAT(id ORDER BY id) FROM appdb.acked"), r -> !r.isEmpty());
            assertThat(rows).isEqualTo(String.join(",", acknowledged.stream().map(String::valueOf).toList()));
            assertThat(sql(host, port, password, "SELECT @@server_id")).isNotEqualTo("");

            String status = cli("status", "emu-ep").out();
            assertThat(status).contains("primary:     " + second).contains("endpoint:    " + host + ":" + port)
                    .containsPattern("moves: +[1-9]");
            printed.add(status);
            printed.add(backend.compute().consoleOutput(EmulatorBackend.REGION, first));
            printed.add(backend.compute().consoleOutput(EmulatorBackend.REGION, second));
            controller.events("emu-ep").forEach(e -> printed.add(e.toString()));
            assertThat(controller.events("emu-ep")).anyMatch(e -> e.message().contains("now points to " + second));
            assertThat(printed).allSatisfy(text -> assertThat(text).doesNotContain(password));
        } finally {
            controller.cancel("emu-ep");
            controller.close();
        }
    }

    private static Optional<InstanceRecord> primary() {
        return ServiceRig.primary(backend, "emu-ep");
    }

    private static String sql(String host, int port, String password, String statement) throws Exception {
        return ServiceRig.sql(host, port, password, statement);
    }
}
