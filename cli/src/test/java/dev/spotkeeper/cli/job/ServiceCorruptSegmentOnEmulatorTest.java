package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * A corrupted binary-log segment at service level, with the old primary alive: the shipped segments holding the
 * table and the first rows have their bytes flipped through the S3 API before a move; the replacement refuses them
 * (the restore is degraded), catches the missing range up from the live old primary by replication, takes over
 * verified with every acknowledged row, and the workload's events name the refused segment.
 */
class ServiceCorruptSegmentOnEmulatorTest {
    private static final String NAME = "emu-dbs";

    private static ServiceRig.OnEmulator rig;

    @BeforeAll
    static void start() throws Exception {
        rig = ServiceRig.OnEmulator.start(NAME, "spotkeeper-dbs", 7);
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aCorruptedSegment_withTheOldPrimaryAlive_isCaughtUpFromItByReplication_andEveryAcknowledgedRowIsThere() throws Exception {
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
            // Every segment shipped so far (the table and rows 1-10), once they are in S3.
            List<S3Object> segments = await("rows 1-10 shipped").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).until(() -> rig.objects("/binlog/"), l -> l.size() >= 1);
            for (S3Object o : segments) {
                rig.corrupt(o.key());
            }
            rig.insert(first, acknowledged, 11, 20);

            String second = rig.move(first);
            rig.insert(second, acknowledged, 21, 25);
            String rows = rig.sql(second, "SELECT GROUP_CONCAT(id ORDER BY id) FROM appdb.acked");

            assertThat(rows).isEqualTo(String.join(",", acknowledged.stream().map(String::valueOf).toList()));
            String segmentId = segments.get(0).key().substring(segments.get(0).key().lastIndexOf('/') + 1);
            assertThat(controller.events(NAME)).as("the events name the refused segment")
                    .anyMatch(e -> e.instanceId().equals(second) && e.message().contains(segmentId)
                            && e.message().contains("SHA-256 does not match"));
            assertThat(rig.backend.compute().consoleOutput(EmulatorBackend.REGION, second))
                    .contains("DEGRADED: restored up to").contains("following generation 1")
                    .contains("took over at the final GTID").contains("by replication from the old primary");
        } finally {
            controller.cancel(NAME);
            controller.close();
        }
    }
}
