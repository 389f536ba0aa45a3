package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.awsclient.SecretsManagerStore;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A database service end to end on the local emulator, with the real agent and the real MariaDB: the primary comes
 * up with its passwords in the emulator's Secrets Manager, a client's acknowledged rows survive an interruption
 * (the replacement restores from S3 while the old primary serves, the old one hands over, the new one verifies),
 * and the old instance is gone.
 */
class ServiceOnEmulatorTest {
    /** Its bucket said to be in another region than the instances (us-east-1): the backup traffic is transfer. */
    private static final String SPEC = ServiceRig.spec("emu-db", "spotkeeper-db") + "  region: us-west-2\n";

    private static LocalEmulator emulator;
    private static EmulatorBackend backend;
    private static SecretsManagerStore secrets;

    @BeforeAll
    static void start() throws Exception {
        ServiceRig.assumeMariaDb();
        emulator = ServiceRig.emulator(1);
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

    @Test
    void aServiceOnTheEmulator_keepsEveryAcknowledgedRowThroughAnInterruption() throws Exception {
        var spec = YamlSpecs.parse("emu-db.yaml", SPEC);
        backend.prepare(spec);
        Controller controller = Jobs.controller(backend);
        controller.submit(spec);
        controller.start(Duration.ofMillis(200));
        try {
            String first = await("the primary to run").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> primary().filter(r -> r.state() == InstanceState.RUNNING), Optional::isPresent)
                    .orElseThrow().instanceId();
            int port = port(first);
            String password = await("the application's secret").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> secrets.value("spotkeeper/emu-db/app"), Optional::isPresent).orElseThrow();
            sql(port, password, "CREATE TABLE appdb.acked (id INT PRIMARY KEY)");
            List<Integer> acknowledged = new ArrayList<>();
            for (int i = 1; i <= 25; i++) {
                sql(port, password, "INSERT INTO appdb.acked VALUES (" + i + ")");
                acknowledged.add(i);
            }

            assertThat(emulator.instances().interrupt(first, Duration.ofSeconds(90))).isTrue();

            String second = await("the replacement to take over").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> primary().filter(r -> !r.instanceId().equals(first)
                            && r.state() == InstanceState.RUNNING), Optional::isPresent).orElseThrow().instanceId();
            await("the old primary to end").atMost(Duration.ofSeconds(120))
                    .until(() -> backend.store().instance(first).orElseThrow().state().isTerminal());
            int next = port(second);
            String rows = sql(next, password, "SELECT GROUP_CONCAT(id ORDER BY id) FROM appdb.acked");

            assertThat(rows).isEqualTo(String.join(",", acknowledged.stream().map(String::valueOf).toList()));
            assertThat(controller.events("emu-db")).anyMatch(e -> e.message().contains("handed over; " + second));
            assertThat(backend.compute().consoleOutput(EmulatorBackend.REGION, second))
                    .contains("took over at the final GTID").doesNotContain(password);
            // `cost emu-db` bills the transfer: the replacement's restore from the bucket and the old primary's last
            // ship to it, each once.
            await("the transfer billed").atMost(Duration.ofSeconds(30)).until(() -> transfers().size() >= 2);
            assertThat(transfers()).extracting(e -> e.note()).anyMatch(n -> n.contains("us-west-2 → us-east-1 (restore"
                    + " gtid:")).anyMatch(n -> n.contains("us-east-1 → us-west-2 (upload gtid:"));
            dev.spotkeeper.core.ledger.CostLedger ledger = new dev.spotkeeper.core.ledger.CostLedger("emu-db");
            backend.store().ledger("emu-db").forEach(ledger::add);
            assertThat(ledger.summary().byKind().get(dev.spotkeeper.core.ledger.CostKind.TRANSFER)).isPositive();
        } finally {
            controller.cancel("emu-db");
            controller.close();
        }
    }

    private static List<dev.spotkeeper.core.ledger.LedgerEntry> transfers() {
        return backend.store().ledger("emu-db").stream()
                .filter(e -> e.kind() == dev.spotkeeper.core.ledger.CostKind.TRANSFER).toList();
    }

    private static Optional<InstanceRecord> primary() {
        return ServiceRig.primary(backend, "emu-db");
    }

    private static int port(String instanceId) {
        return ServiceRig.readyPort(backend, instanceId);
    }

    private static String sql(int port, String password, String statement) throws Exception {
        return ServiceRig.sql("127.0.0.1", port, password, statement);
    }
}
