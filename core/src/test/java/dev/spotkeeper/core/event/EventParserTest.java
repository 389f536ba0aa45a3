package dev.spotkeeper.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventParserTest {
    private static final String WARNING = """
            {"version":"0","id":"92453ca5-5b23-219e-8003-ab7283ca016b","detail-type":"EC2 Spot Instance Interruption Warning",
             "source":"aws.ec2","account":"123456789012","time":"2019-11-05T11:03:11Z","region":"eu-west-1",
             "resources":["arn:aws:ec2:eu-west-1b:instance/i-0abcd1234efgh5678"],
             "detail":{"instance-id":"i-0abcd1234efgh5678","instance-action":"terminate"}}""";

    @Test
    void warning_isKeyedOnTheDetailInstanceIdNotTheArn() {
        ParsedEvent p = EventParser.parse(WARNING);

        assertThat(p).isInstanceOf(ParsedEvent.Event.class);
        assertThat(((ParsedEvent.Event) p).event()).isEqualTo(new SpotEvent.InterruptionWarning(
                "92453ca5-5b23-219e-8003-ab7283ca016b", "i-0abcd1234efgh5678", Instant.parse("2019-11-05T11:03:11Z"), "terminate"));
    }

    private static String health(String startTime) {
        return """
                {"version":"0","id":"h-1","detail-type":"AWS Health Event","source":"aws.health",
                 "account":"123456789012","time":"2024-01-17T18:00:00Z","region":"eu-west-1",
                 "resources":["i-0abcd1234efgh5678"],
                 "detail":{"service":"EC2","eventTypeCode":"AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED",
                  "eventTypeCategory":"scheduledChange"%s}}""".formatted(startTime == null ? ""
                : ",\"startTime\":\"" + startTime + "\"");
    }

    @Test
    void healthScheduledChange_readsItsStartTime_inRfc1123AsAwsHealthWritesIt_orIso() {
        SpotEvent.ScheduledChange rfc = (SpotEvent.ScheduledChange) ((ParsedEvent.Event) EventParser.parse(
                health("Wed, 31 Jan 2024 18:00:00 GMT"))).event();
        SpotEvent.ScheduledChange iso = (SpotEvent.ScheduledChange) ((ParsedEvent.Event) EventParser.parse(
                health("2024-01-31T18:00:00Z"))).event();

        assertThat(rfc.instanceId()).isEqualTo("i-0abcd1234efgh5678");
        assertThat(rfc.eventTypeCode()).isEqualTo("AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED");
        assertThat(rfc.startsAt()).contains(Instant.parse("2024-01-31T18:00:00Z"));
        assertThat(iso.startsAt()).contains(Instant.parse("2024-01-31T18:00:00Z"));
        assertThat(((SpotEvent.ScheduledChange) ((ParsedEvent.Event) EventParser.parse(health("next week"))).event())
                .startsAt()).as("unreadable: acted on without it").isEmpty();
        assertThat(((SpotEvent.ScheduledChange) ((ParsedEvent.Event) EventParser.parse(health(null))).event())
                .startsAt()).isEmpty();
    }

    @Test
    void envelope_keepsWhereTheEventSaysItComesFrom_forTheControllerToCheck() {
        ParsedEvent.Event e = (ParsedEvent.Event) EventParser.parse(WARNING);

        assertThat(e.envelope()).isEqualTo(new Envelope("aws.ec2", "123456789012", "eu-west-1",
                java.util.List.of("arn:aws:ec2:eu-west-1b:instance/i-0abcd1234efgh5678")));
    }

    @Test
    void agentReportListAttributes_areKeptAsJson() {
        ParsedEvent agent = EventParser.parse(envelope("Spotkeeper Agent Report", "spotkeeper.agent",
                "{\"instance-id\":\"i-3\",\"report\":\"restored\",\"skipped\":[\"ckpt-9: checksum mismatch, a, b\"]}"));

        assertThat(((SpotEvent.AgentReport) ((ParsedEvent.Event) agent).event()).attributes())
                .containsEntry("skipped", "[\"ckpt-9: checksum mismatch, a, b\"]");
    }

    @Test
    void instanceArn_isReadOnlyWhenWellFormed() {
        assertThat(InstanceArn.parse("arn:aws:ec2:eu-west-1:123456789012:instance/i-0abcd1234efgh5678"))
                .contains(new InstanceArn("aws", "eu-west-1", "123456789012", "i-0abcd1234efgh5678"));
        assertThat(InstanceArn.parse("arn:aws:ec2:us-east-1::instance/i-0abc")).hasValueSatisfying(a ->
                assertThat(a.account()).isEmpty());
        assertThat(InstanceArn.parse("arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-1"))
                .hasValueSatisfying(a -> assertThat(a.toString()).isEqualTo("arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-1"));
        for (String bad : new String[] {"arn:aws:ec2:eu-west-1b:instance/i-0abcd1234efgh5678",
                "arn:aws:ec2:eu-west-1b:123456789012:instance/i-1", "arn:aws:ec2:eu-west-1:12345:instance/i-1",
                "arn:aws:s3:::bucket", "arn:foo:ec2:eu-west-1:123456789012:instance/i-1", "i-0abcd1234efgh5678",
                "arn:aws:ec2:eu-west-1:123456789012:volume/vol-1", "<instance-arn>"}) {
            assertThat(InstanceArn.parse(bad)).as(bad).isEmpty();
        }
        assertThat(InstanceArn.partitionOf("cn-north-1")).isEqualTo("aws-cn");
        assertThat(InstanceArn.partitionOf("us-gov-west-1")).isEqualTo("aws-us-gov");
        assertThat(InstanceArn.partitionOf("eu-west-1")).isEqualTo("aws");
    }

    @Test
    void rebalanceStateChangeLifecycleAndAgentReports_areRead() {
        assertThat(EventParser.parse(envelope("EC2 Instance Rebalance Recommendation", "aws.ec2", "{\"instance-id\":\"i-1\"}")))
                .isInstanceOf(ParsedEvent.Event.class);
        ParsedEvent state = EventParser.parse(envelope("EC2 Instance State-change Notification", "aws.ec2",
                "{\"instance-id\":\"i-1\",\"state\":\"shutting-down\"}"));
        assertThat(((ParsedEvent.Event) state).event()).isInstanceOfSatisfying(SpotEvent.StateChange.class,
                s -> assertThat(s.state()).isEqualTo("shutting-down"));
        ParsedEvent lifecycle = EventParser.parse(envelope("EC2 Instance-terminate Lifecycle Action", "aws.autoscaling",
                "{\"EC2InstanceId\":\"i-2\",\"AutoScalingGroupName\":\"web\",\"LifecycleHookName\":\"drain\",\"LifecycleActionToken\":\"t-1\",\"LifecycleTransition\":\"autoscaling:EC2_INSTANCE_TERMINATING\"}"));
        assertThat(((ParsedEvent.Event) lifecycle).event().instanceId()).isEqualTo("i-2");
        ParsedEvent agent = EventParser.parse(envelope("Spotkeeper Agent Report", "spotkeeper.agent",
                "{\"instance-id\":\"i-3\",\"report\":\"restored\",\"checkpoint\":\"ckpt-7\",\"sequence\":4}"));
        assertThat(((ParsedEvent.Event) agent).event()).isInstanceOfSatisfying(SpotEvent.AgentReport.class,
                a -> assertThat(a.attributes()).containsEntry("checkpoint", "ckpt-7").containsEntry("sequence", "4"));
    }

    @Test
    void aPastedEventWithAComment_isMalformedAtThatLine() {
        String pasted = "{\n \"detail-type\": \"EC2 Spot Instance Interruption Warning\",\n \"source\": \"aws.ec2\", # example value\n}";

        ParsedEvent p = EventParser.parse(pasted);

        assertThat(p).isInstanceOfSatisfying(ParsedEvent.Malformed.class, m -> {
            assertThat(m.line()).isEqualTo(3);
            assertThat(m.describe("event.json")).startsWith("event.json:3: not valid JSON").contains("comment");
        });
    }

    @Test
    void missingInstanceIdBadActionAndBadTime_areMalformedWithTheReason() {
        assertThat(EventParser.parse(envelope("EC2 Spot Instance Interruption Warning", "aws.ec2", "{\"instance-action\":\"terminate\"}")))
                .isInstanceOfSatisfying(ParsedEvent.Malformed.class, m -> assertThat(m.problem()).contains("detail.instance-id is required"));
        assertThat(EventParser.parse(envelope("EC2 Spot Instance Interruption Warning", "aws.ec2", "{\"instance-id\":\"i-1\",\"instance-action\":\"explode\"}")))
                .isInstanceOfSatisfying(ParsedEvent.Malformed.class, m -> assertThat(m.problem()).contains("terminate, stop, hibernate"));
        assertThat(EventParser.parse(WARNING.replace("2019-11-05T11:03:11Z", "yesterday")))
                .isInstanceOfSatisfying(ParsedEvent.Malformed.class, m -> assertThat(m.problem()).contains("ISO-8601"));
        assertThat(EventParser.parse("[1,2]")).isInstanceOf(ParsedEvent.Malformed.class);
        assertThat(EventParser.parse("{\"hello\":1}"))
                .isInstanceOfSatisfying(ParsedEvent.Malformed.class, m -> assertThat(m.problem()).contains("not an EventBridge event"));
    }

    @Test
    void anEventSpotkeeperDoesNotHandle_isIgnoredWithTheReason() {
        assertThat(EventParser.parse(envelope("EC2 AMI State Change", "aws.ec2", "{\"ImageId\":\"ami-1\"}")))
                .isEqualTo(new ParsedEvent.Ignored("detail-type 'EC2 AMI State Change' from aws.ec2 is not handled"));
    }

    private static String envelope(String detailType, String source, String detail) {
        return "{\"version\":\"0\",\"id\":\"id-" + detailType.length() + "\",\"detail-type\":\"" + detailType + "\",\"source\":\""
                + source + "\",\"account\":\"123456789012\",\"time\":\"2026-01-01T00:00:00Z\",\"region\":\"us-east-1\","
                + "\"resources\":[],\"detail\":" + detail + "}";
    }
}
