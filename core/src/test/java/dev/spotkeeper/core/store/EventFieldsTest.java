package dev.spotkeeper.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventFieldsTest {
    @Test
    void toJson_writesOnlyWhatIsSet_andParseReadsItBack() {
        EventFields f = EventFields.NONE.withInstance("us-east-1/use1-az1/m5.large", 0.031, false)
                .withOnDemandPrice(0.096).withCostSoFar(1.25)
                .withCheckpoint("ckpt-1", Optional.of(12_000_000_000L), Optional.of(Duration.ofMillis(3100)))
                .withDeadline(Instant.parse("2026-03-01T00:02:00Z"));

        assertThat(EventFields.parse(f.toJson())).isEqualTo(f);
        assertThat(EventFields.NONE.toJson()).isEqualTo("{}");
        assertThat(EventFields.NONE.withDeadline(Instant.parse("2026-03-01T00:02:00Z")).toJson())
                .isEqualTo("{\"deadline\":\"2026-03-01T00:02:00Z\"}");
    }

    @Test
    void aFleetsCapacity_isWrittenAndReadBack() {
        EventFields f = EventFields.NONE.withCapacity(4, 3).withPool("us-east-1/us-east-1a/m5.large");

        assertThat(f.toJson()).isEqualTo("{\"pool\":\"us-east-1/us-east-1a/m5.large\",\"desired\":4,\"healthy\":3}");
        assertThat(EventFields.parse(f.toJson())).isEqualTo(f);
        assertThat(f.desired()).contains(4);
        assertThat(f.healthy()).contains(3);
    }

    @Test
    void parse_passesOverMembersItDoesNotKnow() {
        assertThat(EventFields.parse("{\"pool\":\"a/b/c\",\"fromANewerWriter\":3}"))
                .isEqualTo(new EventFields("a/b/c", Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), "", Optional.empty()));
    }
}
