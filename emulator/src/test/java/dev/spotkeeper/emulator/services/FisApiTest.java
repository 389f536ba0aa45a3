package dev.spotkeeper.emulator.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.Emulator;
import dev.spotkeeper.emulator.services.FakeInstanceControl.Interruption;
import dev.spotkeeper.emulator.services.fis.FisComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateActionInput;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateTargetInput;
import software.amazon.awssdk.services.fis.model.Experiment;
import software.amazon.awssdk.services.fis.model.ExperimentActionStatus;
import software.amazon.awssdk.services.fis.model.ExperimentStatus;
import software.amazon.awssdk.services.fis.model.ExperimentSummary;
import software.amazon.awssdk.services.fis.model.ExperimentTemplateTargetInputFilter;
import software.amazon.awssdk.services.fis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.fis.model.ValidationException;

class FisApiTest {
    private static final ExperimentTemplateTargetInputFilter RUNNING = ExperimentTemplateTargetInputFilter.builder()
            .path("State.Name").values("running").build();

    @TempDir
    static Path work;
    static Emulator emulator;
    static FakeInstanceControl ec2 = new FakeInstanceControl();
    static FisClient fis;

    @BeforeAll
    static void start() throws Exception {
        ServicesOptions options = ServicesOptions.defaults().withRegion(TestClients.REGION);
        emulator = Emulator.start(0, Clock.systemUTC(), 42, 1.0, work, List.of(ec2, new FisComponent(options)));
        fis = new TestClients(emulator.endpoint()).fis();
    }

    @AfterAll
    static void stop() {
        fis.close();
        emulator.close();
    }

    private static CreateExperimentTemplateTargetInput byTag(String group, String selection,
                                                             ExperimentTemplateTargetInputFilter... filters) {
        return CreateExperimentTemplateTargetInput.builder().resourceType("aws:ec2:spot-instance")
                .resourceTags(Map.of("group", group)).filters(filters).selectionMode(selection).build();
    }

    private static CreateExperimentTemplateActionInput interrupt(String duration) {
        return CreateExperimentTemplateActionInput.builder().actionId("aws:ec2:send-spot-instance-interruptions")
                .parameters(Map.of("durationBeforeInterruption", duration))
                .targets(Map.of("SpotInstances", "spot")).build();
    }

    private static String template(CreateExperimentTemplateTargetInput target, String duration) {
        return fis.createExperimentTemplate(b -> b.description("interrupt").roleArn("arn:aws:iam::123456789012:role/fis")
                .stopConditions(s -> s.source("none")).targets(Map.of("spot", target))
                .actions(Map.of("interrupt", interrupt(duration)))).experimentTemplate().id();
    }

    private static Experiment experiment(String id) {
        return fis.getExperiment(b -> b.id(id)).experiment();
    }

    @Test
    void startExperiment_interruptsSelectedRunningSpotInstances_thenCompletesWhenTheyTerminate() {
        ec2.add("i-0a00000000000001", "running", true, Map.of("group", "batch"));
        ec2.add("i-0a00000000000002", "running", true, Map.of("group", "batch"));
        ec2.add("i-0a00000000000003", "running", true, Map.of("group", "batch"));
        ec2.add("i-0a00000000000004", "running", false, Map.of("group", "batch"));
        ec2.add("i-0a00000000000005", "stopped", true, Map.of("group", "batch"));
        List<String> eligible = List.of("i-0a00000000000001", "i-0a00000000000002", "i-0a00000000000003");

        String templateId = template(byTag("batch", "COUNT(2)", RUNNING), "PT4M");
        Experiment started = fis.startExperiment(b -> b.experimentTemplateId(templateId)).experiment();
        assertThat(started.state().status()).isIn(ExperimentStatus.INITIATING, ExperimentStatus.RUNNING);
        assertThat(started.experimentTemplateId()).isEqualTo(templateId);

        await().atMost(Duration.ofSeconds(10)).until(() -> experiment(started.id()).state().status() == ExperimentStatus.RUNNING);
        List<Interruption> calls = ec2.interruptionsOf(List.of("i-0a00000000000001", "i-0a00000000000002",
                "i-0a00000000000003", "i-0a00000000000004", "i-0a00000000000005"));
        assertThat(calls).hasSize(2).allMatch(c -> c.beforeTermination().equals(Duration.ofMinutes(4)));
        Set<String> chosen = calls.stream().map(Interruption::instanceId).collect(Collectors.toSet());
        assertThat(chosen).hasSize(2).isSubsetOf(eligible);
        assertThat(experiment(started.id()).actions().get("interrupt").state().status())
                .isEqualTo(ExperimentActionStatus.RUNNING);

        chosen.forEach(id -> ec2.setState(id, "terminated"));
        await().atMost(Duration.ofSeconds(10)).until(() -> experiment(started.id()).state().status() == ExperimentStatus.COMPLETED);
        Experiment done = experiment(started.id());
        assertThat(done.actions().get("interrupt").state().status()).isEqualTo(ExperimentActionStatus.COMPLETED);
        assertThat(done.endTime()).isAfterOrEqualTo(done.startTime());
        assertThat(fis.listExperiments(b -> { }).experiments()).extracting(ExperimentSummary::id).contains(started.id());
    }

    @Test
    void terminateInstances_endsItsTargetsWithoutAnyWarning_spotOrNot_thenCompletes() {
        ec2.add("i-0f00000000000001", "running", true, Map.of("group", "doomed"));
        ec2.add("i-0f00000000000002", "running", false, Map.of("group", "doomed"));
        ec2.add("i-0f00000000000003", "stopped", true, Map.of("group", "doomed"));
        CreateExperimentTemplateTargetInput target = CreateExperimentTemplateTargetInput.builder()
                .resourceType("aws:ec2:instance").resourceTags(Map.of("group", "doomed")).filters(RUNNING)
                .selectionMode("ALL").build();
        String templateId = fis.createExperimentTemplate(b -> b.description("terminate").roleArn(
                "arn:aws:iam::123456789012:role/fis").stopConditions(c -> c.source("none"))
                .targets(Map.of("doomed", target)).actions(Map.of("terminate", CreateExperimentTemplateActionInput
                        .builder().actionId("aws:ec2:terminate-instances").targets(Map.of("Instances", "doomed"))
                        .build()))).experimentTemplate().id();

        String id = fis.startExperiment(b -> b.experimentTemplateId(templateId)).experiment().id();

        await().atMost(Duration.ofSeconds(10)).until(() -> ec2.terminations().size() >= 2);
        assertThat(ec2.terminations()).containsExactlyInAnyOrder("i-0f00000000000001", "i-0f00000000000002");
        assertThat(ec2.interruptionsOf(List.of("i-0f00000000000001", "i-0f00000000000002"))).isEmpty();
        ec2.setState("i-0f00000000000001", "terminated");
        ec2.setState("i-0f00000000000002", "terminated");
        await().atMost(Duration.ofSeconds(10)).until(() -> experiment(id).state().status() == ExperimentStatus.COMPLETED);
    }

    @Test
    void createTemplate_terminateInstancesOnASpotInstanceTarget_isRejectedWithTheTypeItNeeds() {
        assertThatThrownBy(() -> fis.createExperimentTemplate(b -> b.description("bad").roleArn("arn:aws:iam::1:role/f")
                .stopConditions(c -> c.source("none")).targets(Map.of("spot", byTag("x", "ALL", RUNNING)))
                .actions(Map.of("terminate", CreateExperimentTemplateActionInput.builder()
                        .actionId("aws:ec2:terminate-instances").targets(Map.of("Instances", "spot")).build()))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage())
                        .contains("aws:ec2:instance"));
    }

    @Test
    void startExperiment_withoutStateNameFilter_interruptsAmongRunningInstances() {
        ec2.add("i-0b00000000000001", "running", true, Map.of("group", "unfiltered"));
        ec2.add("i-0b00000000000002", "stopped", true, Map.of("group", "unfiltered"));
        String templateId = template(byTag("unfiltered", "ALL"), "PT2M");
        String id = fis.startExperiment(b -> b.experimentTemplateId(templateId)).experiment().id();

        await().atMost(Duration.ofSeconds(10)).until(() -> experiment(id).state().status() == ExperimentStatus.RUNNING);
        assertThat(experiment(id).actions().get("interrupt").state().status()).isNotEqualTo(ExperimentActionStatus.CANCELLED);
        assertThat(ec2.interruptionsOf(List.of("i-0b00000000000001"))).hasSize(1);
        assertThat(ec2.interruptionsOf(List.of("i-0b00000000000002"))).isEmpty();
    }

    @Test
    void startExperiment_withoutStateNameFilter_whenNoRunningInstanceResolves_failsAndInterruptsNothing() {
        ec2.add("i-0b00000000000003", "stopped", true, Map.of("group", "asleep"));
        String templateId = template(byTag("asleep", "ALL"), "PT2M");
        String id = fis.startExperiment(b -> b.experimentTemplateId(templateId)).experiment().id();

        await().atMost(Duration.ofSeconds(10)).until(() -> experiment(id).state().status() == ExperimentStatus.FAILED);
        assertThat(experiment(id).state().reason()).contains("no running spot instances");
        assertThat(ec2.interruptionsOf(List.of("i-0b00000000000003"))).isEmpty();
    }

    @Test
    void startExperiment_byAutoScalingGroupTag_interruptsCountOfTheGroup() {
        for (int i = 1; i <= 4; i++) {
            ec2.add("i-0d0000000000000" + i, "running", true, Map.of("aws:autoscaling:groupName", "web-fleet"));
        }
        ec2.add("i-0d00000000000009", "running", true, Map.of("aws:autoscaling:groupName", "other"));
        CreateExperimentTemplateTargetInput target = CreateExperimentTemplateTargetInput.builder()
                .resourceType("aws:ec2:spot-instance").resourceTags(Map.of("aws:autoscaling:groupName", "web-fleet"))
                .selectionMode("COUNT(2)").build();
        String id = fis.startExperiment(b -> b.experimentTemplateId(template(target, "PT2M"))).experiment().id();

        await().atMost(Duration.ofSeconds(10)).until(() -> experiment(id).state().status() == ExperimentStatus.RUNNING);
        List<String> group = List.of("i-0d00000000000001", "i-0d00000000000002", "i-0d00000000000003",
                "i-0d00000000000004");
        assertThat(ec2.interruptionsOf(group)).hasSize(2);
        assertThat(ec2.interruptionsOf(List.of("i-0d00000000000009"))).isEmpty();
    }

    @Test
    void startExperiment_whenTargetResolvesToMoreThanFiveInstances_fails() {
        for (int i = 1; i <= 6; i++) {
            ec2.add("i-0c0000000000000" + i, "running", true, Map.of("group", "wide"));
        }
        String templateId = template(byTag("wide", "ALL", RUNNING), "PT2M");
        String id = fis.startExperiment(b -> b.experimentTemplateId(templateId)).experiment().id();

        await().atMost(Duration.ofSeconds(10)).until(() -> experiment(id).state().status() == ExperimentStatus.FAILED);
        assertThat(experiment(id).state().reason()).contains("6 instances").contains("at most 5");
        assertThat(ec2.interruptions()).noneMatch(c -> c.instanceId().startsWith("i-0c"));
    }

    @Test
    void createTemplate_withSixInstanceArns_isRejected() {
        List<String> arns = List.of(1, 2, 3, 4, 5, 6).stream()
                .map(i -> "arn:aws:ec2:eu-west-1:123456789012:instance/i-0d000000000000" + i).toList();
        CreateExperimentTemplateTargetInput target = CreateExperimentTemplateTargetInput.builder()
                .resourceType("aws:ec2:spot-instance").resourceArns(arns).filters(RUNNING).selectionMode("ALL").build();

        assertThatThrownBy(() -> template(target, "PT2M")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("6 instances").hasMessageContaining("at most 5");
    }

    @Test
    void createTemplate_withDurationUnderTwoMinutesOrNotIso_isRejected() {
        assertThatThrownBy(() -> template(byTag("x", "ALL", RUNNING), "PT1M")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("PT2M to PT15M");
        assertThatThrownBy(() -> template(byTag("x", "ALL", RUNNING), "2 minutes")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> template(byTag("x", "SOME", RUNNING), "PT2M")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("selectionMode");
    }

    @Test
    void stopExperiment_stopsARunningExperiment() {
        ec2.add("i-0e00000000000001", "running", true, Map.of("group", "stoppable"));
        String templateId = template(byTag("stoppable", "ALL", RUNNING), "PT10M");
        String id = fis.startExperiment(b -> b.experimentTemplateId(templateId)).experiment().id();
        await().atMost(Duration.ofSeconds(10)).until(() -> experiment(id).state().status() == ExperimentStatus.RUNNING);

        Experiment stopping = fis.stopExperiment(b -> b.id(id)).experiment();
        assertThat(stopping.state().status()).isIn(ExperimentStatus.STOPPING, ExperimentStatus.STOPPED);
        await().atMost(Duration.ofSeconds(10)).until(() -> experiment(id).state().status() == ExperimentStatus.STOPPED);
        assertThat(experiment(id).endTime()).isNotNull();
        assertThat(experiment(id).actions().get("interrupt").state().status()).isEqualTo(ExperimentActionStatus.STOPPED);
    }

    @Test
    void startExperiment_withTheSameClientToken_startsOnlyOnce() {
        ec2.add("i-0e00000000000002", "running", true, Map.of("group", "idempotent"));
        String templateId = template(byTag("idempotent", "ALL", RUNNING), "PT2M");
        String first = fis.startExperiment(b -> b.experimentTemplateId(templateId).clientToken("token-1")).experiment().id();
        String again = fis.startExperiment(b -> b.experimentTemplateId(templateId).clientToken("token-1")).experiment().id();

        assertThat(again).isEqualTo(first);
        await().atMost(Duration.ofSeconds(10)).until(() -> experiment(first).state().status() == ExperimentStatus.RUNNING);
        assertThat(ec2.interruptionsOf(List.of("i-0e00000000000002"))).hasSize(1);
    }

    @Test
    void unknownIds_answerResourceNotFound() {
        assertThatThrownBy(() -> experiment("EXPdoesnotexist")).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> fis.startExperiment(b -> b.experimentTemplateId("EXTdoesnotexist")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("EXTdoesnotexist");
    }

    @Test
    void templates_canBeReadListedAndDeleted() {
        String id = template(byTag("listed", "PERCENT(50)", RUNNING), "PT3M");
        assertThat(fis.getExperimentTemplate(b -> b.id(id)).experimentTemplate().targets().get("spot").selectionMode())
                .isEqualTo("PERCENT(50)");
        assertThat(fis.listExperimentTemplates(b -> { }).experimentTemplates()).anyMatch(t -> t.id().equals(id));
        fis.deleteExperimentTemplate(b -> b.id(id));
        assertThatThrownBy(() -> fis.getExperimentTemplate(b -> b.id(id))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void malformedJsonBody_getsValidationExceptionShape_andTheEmulatorKeepsServing() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/experimentTemplates"))
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-1/fis/aws4_request, "
                        + "SignedHeaders=host, Signature=00")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"description\": \"x\",\n  \"actions\": {# comment\n}"))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationException");
        Map<String, Object> body = Json.parseObject(response.body());
        assertThat((String) body.get("message")).contains("not valid JSON").contains("line 2");
        assertThat(fis.listExperimentTemplates(b -> { }).sdkHttpResponse().isSuccessful()).isTrue();
    }
}
