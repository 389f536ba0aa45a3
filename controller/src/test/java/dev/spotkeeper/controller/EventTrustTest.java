package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.lifecycle.InstanceState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The controller believes an event's time, account, region and resources only as far as they agree with the instance. */
class EventTrustTest {
    private static final String WARNING = "EC2 Spot Instance Interruption Warning";

    private final Harness h = new Harness();
    private String first;

    @BeforeEach
    void running() {
        h.submit(Harness.spec("train").build());
        h.step();
        first = h.head("train").instanceId();
        h.send(h.report(first, "train", "restored", Map.of("checkpoint", "")));
        h.step();
        h.advance(Duration.ofMinutes(10));
    }

    private String warning(Map<String, Object> envelope) {
        return h.event("aws.ec2", WARNING, Map.of("instance-id", first, "instance-action", "terminate"), envelope);
    }

    private String evacuateTag() {
        return h.compute.instance(first).tags().get("spotkeeper:evacuate");
    }

    private String arn(String region, String account, String instance) {
        return "arn:aws:ec2:" + region + ":" + account + ":instance/" + instance;
    }

    @Test
    void warningDated2019_getsTwoMinutesFromItsReceipt_andTheLogSaysItsTimeIsNotBelieved() {
        Instant received = h.clock.instant();
        h.send(warning(Map.of("time", "2019-11-05T11:03:11Z")));
        h.step();

        assertThat(evacuateTag()).isEqualTo(received.plus(Duration.ofMinutes(2)).toString());
        assertThat(h.events).filteredOn(e -> e.kind() == Kind.AT_RISK).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("2019-11-05T11:03:11Z").contains("not believed"));
        h.advance(Duration.ofSeconds(31));
        h.step();
        assertThat(h.instance(first).state()).as("a healthy instance is given its two minutes")
                .isEqualTo(InstanceState.EVACUATING);
    }

    @Test
    void warningDated2099_getsTwoMinutesFromItsReceipt_notSeventyYears() {
        Instant received = h.clock.instant();
        h.send(warning(Map.of("time", "2099-01-01T00:00:00Z")));
        h.step();

        assertThat(evacuateTag()).isEqualTo(received.plus(Duration.ofMinutes(2)).toString());
        assertThat(h.events).filteredOn(e -> e.kind() == Kind.AT_RISK).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("after now").contains("not believed"));
        h.advance(Duration.ofMinutes(2).plusSeconds(31));
        h.step();
        assertThat(h.instance(first).state()).as("given up 30 s past the two minutes")
                .isEqualTo(InstanceState.TERMINATED);
    }

    @Test
    void warningDeliveredLate_loosesTheDeliveryLagFromItsTwoMinutes() {
        Instant sent = h.clock.instant().minusSeconds(20);
        h.send(warning(Map.of("time", sent.toString())));
        h.step();

        assertThat(evacuateTag()).isEqualTo(sent.plus(Duration.ofMinutes(2)).toString());
    }

    @Test
    void warningOfAnotherAccount_isIgnoredWithTheReason() {
        h.send(warning(Map.of("account", "999999999999")));
        h.step();

        assertIgnored("account '999999999999' is not this control plane's (" + Harness.ACCOUNT + ")");
    }

    @Test
    void warningOfAnotherRegion_isIgnoredWithTheReason() {
        h.send(warning(Map.of("region", "eu-west-1")));
        h.step();

        assertIgnored("region 'eu-west-1' is not the instance's (us-east-1)");
    }

    @Test
    void warningWithAMalformedArn_isIgnoredWithTheReason() {
        h.send(warning(Map.of("resources", List.of("arn:aws:ec2:us-east-1b:instance/" + first))));
        h.step();

        assertIgnored("is not an EC2 instance ARN");
    }

    @Test
    void warningWhoseArnNamesAnotherInstanceRegionOrAccount_isIgnored() {
        h.send(warning(Map.of("resources", List.of(arn("us-east-1", Harness.ACCOUNT, "i-0000000000000dead")))));
        h.send(warning(Map.of("resources", List.of(arn("us-west-2", Harness.ACCOUNT, first)))));
        h.send(warning(Map.of("resources", List.of(arn("us-east-1", "999999999999", first)))));
        h.step();

        assertThat(h.events).filteredOn(e -> e.kind() == Kind.IGNORED_EVENT).extracting(ControllerEvent::message)
                .hasSize(3).anySatisfy(m -> assertThat(m).contains("names another instance"))
                .anySatisfy(m -> assertThat(m).contains("names region us-west-2"))
                .anySatisfy(m -> assertThat(m).contains("names account '999999999999'"));
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    void warningAsEventBridgeSendsIt_isBelieved() {
        h.send(warning(Map.of("resources", List.of(arn("us-east-1", Harness.ACCOUNT, first)))));
        h.step();

        assertThat(h.instance(first).state()).isEqualTo(InstanceState.EVACUATING);
        assertThat(h.compute.all()).hasSize(2);
    }

    @Test
    void forgedCopyFirst_doesNotMakeTheGenuineWarningADuplicate() {
        h.send(warning(Map.of("account", "999999999999")));
        h.send(warning(Map.of()));

        RunSummary s = h.step();

        assertThat(s.duplicates()).isZero();
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.EVACUATING);
    }

    @Test
    void agentReports_areCheckedWhereTheyCarryTheFields() {
        Map<String, Object> detail = Map.of("instance-id", first, "workload", "train", "report", "evacuating",
                "sequence", "9", "deadline", h.clock.instant().plusSeconds(100).toString());
        h.send(h.event("spotkeeper.agent", "Spotkeeper Agent Report", detail, Map.of("region", "eu-west-1")));
        h.step();
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.RUNNING);

        h.send(h.event("spotkeeper.agent", "Spotkeeper Agent Report", detail, Map.of("account", "", "region", "",
                "resources", List.of(arn("us-east-1", "", first)))));
        h.step();
        assertThat(h.instance(first).state()).as("an agent without instance metadata knows no account")
                .isEqualTo(InstanceState.EVACUATING);
    }

    @Test
    void agentDeadlineFarAway_isTwoMinutesFromNow() {
        Instant received = h.clock.instant();
        h.send(h.report(first, "train", "evacuating", Map.of("deadline", "2099-01-01T00:00:00Z")));
        h.step();

        assertThat(evacuateTag()).isEqualTo(received.plus(Duration.ofMinutes(2)).toString());
    }

    private void assertIgnored(String reason) {
        assertThat(h.events).filteredOn(e -> e.kind() == Kind.IGNORED_EVENT).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("not believed").contains(reason));
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.compute.all()).hasSize(1);
    }
}
