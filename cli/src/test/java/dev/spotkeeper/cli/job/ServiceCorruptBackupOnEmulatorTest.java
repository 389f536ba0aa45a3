package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A corrupted newest base backup at service level: its bytes flipped through the S3 API between two moves, the next
 * replacement refuses it (its SHA-256 does not match the catalog), restores the older base and replays more of the
 * shipped logs, takes over with every acknowledged row, and the workload's events name the base it passed over.
 */
class ServiceCorruptBackupOnEmulatorTest {
    private static final String NAME = "emu-dbc";

    private static ServiceRig.OnEmulator rig;

    @BeforeAll
    static void start() throws Exception {
        rig = ServiceRig.OnEmulator.start(NAME, "spotkeeper-dbc", 7);
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aCorruptedNewestBase_isRefused_andTheReplacementRestoresTheOlderOnePlusMoreLogs() throws Exception {
        var spec = YamlSpecs.parse(NAME + ".yaml", rig.spec());
        rig.backend.prepare(spec);
        Controller controller = Jobs.controller(rig.backend);
        controller.submit(spec);
        controller.start(Duration.ofMillis(200));
        try {
            String first = rig.firstPrimary();
            rig.sql(first, "CREATE TABLE appdb.acked (id INT PRIMARY KEY)");
            List<Integer> acknowledged = new ArrayList<>();
            rig.insert(first, acknowledged, 1, 10);
            String second = rig.move(first);
            rig.insert(second, acknowledged, 11, 20);

            List<S3Object> bases = rig.objects("/base/");
            assertThat(bases).as("the first primary's base and the replacement's own").hasSize(2);
            String newest = bases.stream().filter(o -> o.key().contains("-g2-")).findFirst().orElseThrow().key();
            rig.corrupt(newest);

            String third = rig.move(second);
            String rows = rig.sql(third, "SELECT GROUP_CONCAT(id ORDER BY id) FROM appdb.acked");

            assertThat(rows).isEqualTo(String.join(",", acknowledged.stream().map(String::valueOf).toList()));
            String baseId = newest.substring(newest.lastIndexOf('/') + 1);
            assertThat(controller.events(NAME)).as("the events name the base passed over")
                    .anyMatch(e -> e.instanceId().equals(third) && e.message().contains("skipped base")
                            && e.message().contains(baseId) && e.message().contains("SHA-256 does not match"));
            assertThat(rig.backend.compute().consoleOutput(EmulatorBackend.REGION, third))
                    .contains("refused base").contains("took over at the final GTID");
        } finally {
            controller.cancel(NAME);
            controller.close();
        }
    }
}
