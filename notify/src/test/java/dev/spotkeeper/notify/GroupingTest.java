package dev.spotkeeper.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A flapping pool does not flood a channel: repeated events of one kind for one workload are summarised. */
class GroupingTest {
    final Rig rig = new Rig();
    Receiver hook;

    @AfterEach
    void stop() {
        rig.close();
        hook.close();
    }

    @Test
    void repeatedWarnings_theFirstTwoGo_theRestComeAsOneSummaryWhenTheWindowEnds() throws Exception {
        hook = new Receiver();
        rig.env.put("OPS", hook.url("/hook"));
        rig.workload("train", DeliveryTest.webhook("OPS"));
        rig.workload("other", DeliveryTest.webhook("OPS"));
        MutableClock clock = new MutableClock(Rig.T0);
        for (int i = 1; i <= 6; i++) {
            rig.event("train", "i-" + i, "AT_RISK", "spot interruption warning; evacuate by 2026-03-01T00:02:00Z");
        }
        rig.event("other", "i-9", "AT_RISK", "spot interruption warning; evacuate by 2026-03-01T00:02:00Z");
        rig.event("train", "i-6", "LAUNCHED", "generation 7");

        rig.start(Rig.fast().withGroup(Duration.ofMinutes(10), 2), clock);

        await().atMost(Duration.ofSeconds(10)).until(() -> rig.store.sinkCursor(NotificationSender.CURSOR) == 8);
        List<Map<String, Object>> first = hook.bodies().stream().map(Json::parseObject).toList();
        assertThat(first).extracting(b -> b.get("workload") + " " + b.get("event") + " " + b.get("instance"))
                .containsExactlyInAnyOrder("train warning i-1", "train warning i-2", "other warning i-9",
                        "train launched i-6");

        clock.advance(Duration.ofMinutes(10));
        rig.sender.wake();

        await().atMost(Duration.ofSeconds(10)).until(() -> hook.requests.size() == 5);
        Map<String, Object> summary = Json.parseObject(hook.requests.get(4).body());
        assertThat(summary).containsEntry("workload", "train").containsEntry("event", "warning")
                .containsEntry("count", 4L).containsEntry("instance", "i-6").containsEntry("id", "train-3-group")
                .containsEntry("title", "train: Interruption warning × 4");
        assertThat((String) summary.get("text")).contains("\nGrouped: 4 events within 10 min, not sent one by one;"
                + " the last one is shown\n");

        clock.advance(Duration.ofMinutes(10));
        rig.event("train", "i-7", "AT_RISK", "spot interruption warning; evacuate by 2026-03-01T00:22:00Z");
        rig.sender.wake();
        await().atMost(Duration.ofSeconds(10)).until(() -> hook.requests.size() == 6);
        assertThat(Json.parseObject(hook.requests.get(5).body())).as("a new window: sent at once")
                .containsEntry("instance", "i-7").containsEntry("count", 1L);
    }
}
