package dev.spotkeeper.emulator.services.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.json.Json;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Event patterns and schedules as the EventBridge user guide documents them. */
class EventPatternTest {
    private static final Map<String, Object> WARNING = Json.parseObject("""
            {"version":"0","id":"x","detail-type":"EC2 Spot Instance Interruption Warning","source":"aws.ec2",
             "account":"123456789012","time":"2026-01-01T00:00:00Z","region":"eu-west-1",
             "resources":["arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc"],
             "detail":{"instance-id":"i-0abc","instance-action":"terminate","cpus":4,"tags":["a","b"]}}""");

    private static boolean matches(String pattern) {
        return EventPattern.parse(pattern).matches(WARNING);
    }

    @Test
    void exactValues_matchWhenOneOfTheListedValuesIsTheField_andEveryFieldMustMatch() {
        assertThat(matches("{\"source\":[\"aws.ec2\"],\"detail-type\":[\"EC2 Spot Instance Interruption Warning\"]}"))
                .isTrue();
        assertThat(matches("{\"source\":[\"aws.health\",\"aws.ec2\"]}")).isTrue();
        assertThat(matches("{\"source\":[\"aws.ec2\"],\"detail-type\":[\"EC2 Instance Rebalance Recommendation\"]}"))
                .isFalse();
        assertThat(matches("{\"detail\":{\"instance-action\":[\"terminate\"]}}")).isTrue();
        assertThat(matches("{\"detail\":{\"instance-action\":[\"stop\"]}}")).isFalse();
        assertThat(matches("{\"detail\":{\"cpus\":[4]}}")).isTrue();
    }

    @Test
    void anArrayField_matchesWhenAnyElementDoes() {
        assertThat(matches("{\"detail\":{\"tags\":[\"b\"]}}")).isTrue();
        assertThat(matches("{\"resources\":[{\"prefix\":\"arn:aws:ec2:eu-west-1:\"}]}")).isTrue();
        assertThat(matches("{\"detail\":{\"tags\":[\"c\"]}}")).isFalse();
    }

    @Test
    void prefixSuffixAnythingButExistsAndNumeric_filterAsDocumented() {
        assertThat(matches("{\"detail-type\":[{\"prefix\":\"EC2 Spot\"}]}")).isTrue();
        assertThat(matches("{\"detail-type\":[{\"prefix\":\"EC2 Instance\"}]}")).isFalse();
        assertThat(matches("{\"detail-type\":[{\"suffix\":\"Warning\"}]}")).isTrue();
        assertThat(matches("{\"source\":[{\"equals-ignore-case\":\"AWS.EC2\"}]}")).isTrue();
        assertThat(matches("{\"detail\":{\"instance-action\":[{\"anything-but\":\"stop\"}]}}")).isTrue();
        assertThat(matches("{\"detail\":{\"instance-action\":[{\"anything-but\":[\"stop\",\"terminate\"]}]}}")).isFalse();
        assertThat(matches("{\"detail\":{\"instance-action\":[{\"anything-but\":{\"prefix\":\"term\"}}]}}")).isFalse();
        assertThat(matches("{\"detail\":{\"missing\":[{\"anything-but\":\"x\"}]}}")).as("absent field").isFalse();
        assertThat(matches("{\"detail\":{\"instance-id\":[{\"exists\":true}]}}")).isTrue();
        assertThat(matches("{\"detail\":{\"missing\":[{\"exists\":false}]}}")).isTrue();
        assertThat(matches("{\"detail\":{\"instance-id\":[{\"exists\":false}]}}")).isFalse();
        assertThat(matches("{\"detail\":{\"cpus\":[{\"numeric\":[\">\",2,\"<=\",4]}]}}")).isTrue();
        assertThat(matches("{\"detail\":{\"cpus\":[{\"numeric\":[\"<\",4]}]}}")).isFalse();
        assertThat(matches("{\"detail\":{\"cpus\":[{\"numeric\":[\"=\",4.0]}]}}")).isTrue();
    }

    @Test
    void aPatternEventBridgeRefuses_isRefusedWithTheField() {
        assertThatThrownBy(() -> EventPattern.parse("{\"source\":\"aws.ec2\"}")).isInstanceOf(EventPattern.Invalid.class)
                .hasMessageContaining("source").hasMessageContaining("[\"aws.ec2\"]");
        assertThatThrownBy(() -> EventPattern.parse("{\"source\":[]}")).hasMessageContaining("Empty arrays");
        assertThatThrownBy(() -> EventPattern.parse("{\"detail\":{\"n\":[{\"numeric\":[\"~\",1]}]}}"))
                .hasMessageContaining("numeric");
        assertThatThrownBy(() -> EventPattern.parse("{\"source\":[{\"wildcard-ish\":\"x\"}]}"))
                .hasMessageContaining("Unrecognized match type");
        assertThatThrownBy(() -> EventPattern.parse("not json")).hasMessageContaining("not valid JSON");
    }

    @Test
    void rateAndCronSchedules_giveTheirNextTimes_andBadOnesAreRefused() {
        Instant start = Instant.parse("2026-01-01T00:00:30Z");
        ScheduleExpression minute = ScheduleExpression.parse("rate(1 minute)");
        assertThat(minute.nextAfter(start, start)).isEqualTo(Instant.parse("2026-01-01T00:01:30Z"));
        assertThat(minute.nextAfter(start, Instant.parse("2026-01-01T00:05:00Z")))
                .isEqualTo(Instant.parse("2026-01-01T00:05:30Z"));
        assertThat(ScheduleExpression.parse("rate(2 hours)").nextAfter(start, start))
                .isEqualTo(Instant.parse("2026-01-01T02:00:30Z"));
        // 2026-01-01 is a Thursday; MON-FRI at 08:15 UTC fires on Friday the 2nd after Thursday's time has passed.
        ScheduleExpression weekdays = ScheduleExpression.parse("cron(15 8 ? * MON-FRI *)");
        assertThat(weekdays.nextAfter(start, Instant.parse("2026-01-01T09:00:00Z")))
                .isEqualTo(Instant.parse("2026-01-02T08:15:00Z"));
        assertThat(weekdays.nextAfter(start, Instant.parse("2026-01-02T09:00:00Z")))
                .as("skips the weekend").isEqualTo(Instant.parse("2026-01-05T08:15:00Z"));
        assertThat(ScheduleExpression.parse("cron(0/10 * * * ? *)").nextAfter(start, start))
                .isEqualTo(Instant.parse("2026-01-01T00:10:00Z"));
        assertThatThrownBy(() -> ScheduleExpression.parse("rate(1 minutes)")).hasMessageContaining("singular");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 8 * * * *)")).hasMessageContaining("?");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 8 L * ? *)")).hasMessageContaining("L, W and #");
        assertThatThrownBy(() -> ScheduleExpression.parse("every minute")).hasMessageContaining("rate(N unit)");
    }

    @Test
    void aRateScale_runsRateSchedulesFaster_andLeavesCronAlone() {
        Instant start = Instant.parse("2026-01-01T00:00:30Z");
        ScheduleExpression minute = ScheduleExpression.parse("rate(1 minute)");
        assertThat(minute.nextAfter(start, start, 12)).isEqualTo(Instant.parse("2026-01-01T00:00:35Z"));
        assertThat(minute.nextAfter(start, Instant.parse("2026-01-01T00:00:41Z"), 12))
                .isEqualTo(Instant.parse("2026-01-01T00:00:45Z"));
        assertThat(minute.nextAfter(start, start, 1)).isEqualTo(minute.nextAfter(start, start));
        assertThat(ScheduleExpression.parse("cron(0/10 * * * ? *)").nextAfter(start, start, 12))
                .isEqualTo(Instant.parse("2026-01-01T00:10:00Z"));
        assertThatThrownBy(() -> minute.nextAfter(start, start, 0.5)).hasMessageContaining("at least 1");

        java.util.concurrent.atomic.AtomicReference<Instant> now =
                new java.util.concurrent.atomic.AtomicReference<>(start);
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        EventRules scaled = new EventRules("us-east-1", "000000000000", clock, 12);
        scaled.putRule("tick", null, "rate(1 minute)", null, null);
        now.set(start.plusSeconds(4));
        assertThat(scaled.due(now.get())).isEmpty();
        now.set(start.plusSeconds(5));
        assertThat(scaled.due(now.get())).extracting(EventRules.Rule::name).containsExactly("tick");
        assertThat(scaled.due(now.get())).as("once per due time").isEmpty();
        EventRules aws = new EventRules("us-east-1", "000000000000", clock, 1);
        aws.putRule("tick", null, "rate(1 minute)", null, null);
        now.set(now.get().plusSeconds(30));
        assertThat(aws.due(now.get())).as("AWS's pace: a minute, not 30 s").isEmpty();
    }
}
