package dev.spotkeeper.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A message with a very long detail still fits Slack's limits, cut where it is too long and said so. */
class SlackLimitsTest {
    final Rig rig = new Rig();
    Receiver hook;

    @AfterEach
    void stop() {
        rig.close();
        hook.close();
    }

    @Test
    void aLongDetail_isCutToTheSectionAndFallbackLimits_andSlacksControlCharactersAreEscaped() throws Exception {
        hook = new Receiver();
        rig.env.put("HOOK", hook.url("/hook"));
        rig.workload("train", DeliveryTest.slack("HOOK"));
        // 10,000 characters, with <, > and & that Slack would read as markup.
        String detail = "<!channel> a & b > c " + "x".repeat(9_980);
        rig.event("train", "", "FAILED", detail);

        rig.start(Rig.fast(), Clock.systemUTC());
        await().atMost(Duration.ofSeconds(10)).until(() -> hook.requests.size() == 1);

        Map<String, Object> body = Json.parseObject(hook.requests.get(0).body());
        String text = (String) body.get("text");
        assertThat(text).hasSizeLessThanOrEqualTo(3000).endsWith("…").doesNotContain("<!channel>");
        List<?> blocks = (List<?>) body.get("blocks");
        assertThat(blocks).hasSizeLessThanOrEqualTo(50);
        for (Object b : blocks) {
            Map<?, ?> block = (Map<?, ?>) b;
            if (block.get("type").equals("section") && block.containsKey("text")) {
                String s = (String) ((Map<?, ?>) block.get("text")).get("text");
                assertThat(s).hasSizeLessThanOrEqualTo(3000);
            }
            if (block.get("type").equals("section") && block.containsKey("fields")) {
                assertThat((List<?>) block.get("fields")).hasSizeLessThanOrEqualTo(10);
            }
            if (block.get("type").equals("header")) {
                assertThat((String) ((Map<?, ?>) block.get("text")).get("text")).hasSizeLessThanOrEqualTo(150);
            }
        }
        String details = (String) ((Map<?, ?>) ((Map<?, ?>) blocks.get(3)).get("text")).get("text");
        assertThat(details).startsWith("*Details*\n&lt;!channel&gt; a &amp; b &gt; c xxx").endsWith("x…")
                .hasSize(3000);
    }
}
