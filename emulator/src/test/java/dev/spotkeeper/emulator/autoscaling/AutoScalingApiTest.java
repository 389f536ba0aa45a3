package dev.spotkeeper.emulator.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotkeeper.emulator.LocalEmulator;
import dev.spotkeeper.emulator.elb.ElbComponent;
import dev.spotkeeper.emulator.spi.CloudEventSink;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import dev.spotkeeper.emulator.spi.LoadBalancerControl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.AlreadyExistsException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;

/**
 * Auto Scaling through the AWS SDK: a mixed-instances group behind a load balancer, its instances real processes
 * serving HTTP on their own ports, detached with a replacement at once, scaled in through a lifecycle hook.
 */
class AutoScalingApiTest {
    static final String AMI = "ami-0e5f0a1b2c3d40001";
    static final String ACCOUNT = "000000000000";
    /** Serves HTTP on the port that stands for the instance's port 8080 (read from its metadata, IMDSv2). */
    static final String SERVER = """
            #!/bin/sh
            e="$AWS_EC2_METADATA_SERVICE_ENDPOINT"
            t=$(curl -s -X PUT "$e/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
            port=$(curl -s -H "X-aws-ec2-metadata-token: $t" "$e/latest/meta-data/spotkeeper/host-port/8080")
            id=$(curl -s -H "X-aws-ec2-metadata-token: $t" "$e/latest/meta-data/instance-id")
            mkdir -p www && echo "$id" > www/index.html
            exec python3 -m http.server "$port" --bind 127.0.0.1 --directory www
            """;

    @TempDir
    static Path work;

    private static LocalEmulator emulator;
    private static AutoScalingClient autoscaling;
    private static ElasticLoadBalancingV2Client elb;
    private static Ec2Client ec2;
    private static final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/haproxy")), "HAProxy (Debian package haproxy) is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is needed inside the emulated instances");
        EmulatorComponent recorder = new EmulatorComponent() {
            @Override
            public void start(EmulatorContext context) {
                context.provide(CloudEventSink.class, (source, detailType, region, time, resources, detail) ->
                        events.add(source + "|" + detailType + "|" + detail.get("EC2InstanceId")));
            }

            @Override
            public void close() {
            }
        };
        emulator = LocalEmulator.builder().port(0).seed(17).bootDelay(Duration.ZERO).traces(false)
                .workDirectory(work.resolve("emulator")).component(recorder).component(new ElbComponent(ACCOUNT))
                .component(new AutoScalingComponent(ACCOUNT)).start();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                emulator.credentials().accessKeyId(), emulator.credentials().secretAccessKey()));
        autoscaling = AutoScalingClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        elb = ElasticLoadBalancingV2Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        ec2 = Ec2Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        ec2.createLaunchTemplate(b -> b.launchTemplateName("web").launchTemplateData(d -> d.imageId(AMI)
                .instanceType("m5.large").userData(Base64.getEncoder().encodeToString(SERVER.getBytes(StandardCharsets.UTF_8)))));
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private static AutoScalingGroup group(String name) {
        return autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name)).autoScalingGroups().get(0);
    }

    private static List<Instance> inService(String name) {
        return group(name).instances().stream().filter(i -> i.lifecycleStateAsString().equals("InService")).toList();
    }

    private static List<Activity> activities(String name) {
        return autoscaling.describeScalingActivities(r -> r.autoScalingGroupName(name)).activities();
    }

    @Test
    void mixedGroup_behindALoadBalancer_detachesWithAReplacementAtOnce_andScalesInThroughItsHook() throws Exception {
        String lb = elb.createLoadBalancer(r -> r.name("fleet").subnets("subnet-us-east-1a")).loadBalancers().get(0)
                .loadBalancerArn();
        String tg = elb.createTargetGroup(r -> r.name("fleet-web").protocol("HTTP").port(8080).vpcId("vpc-1")
                .healthCheckPath("/").healthCheckIntervalSeconds(5).healthyThresholdCount(2)).targetGroups().get(0)
                .targetGroupArn();
        elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(tg).attributes(TargetGroupAttribute.builder()
                .key("deregistration_delay.timeout_seconds").value("2").build()));
        elb.createListener(r -> r.loadBalancerArn(lb).protocol("HTTP").port(80).defaultActions(Action.builder()
                .type(ActionTypeEnum.FORWARD).targetGroupArn(tg).build()));

        autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName("web").minSize(1).maxSize(4).desiredCapacity(3)
                .availabilityZones("us-east-1a", "us-east-1b").targetGroupARNs(tg)
                .mixedInstancesPolicy(m -> m.launchTemplate(lt -> lt
                                .launchTemplateSpecification(s -> s.launchTemplateName("web").version("$Latest"))
                                .overrides(LaunchTemplateOverrides.builder().instanceType("m5.large").build(),
                                        LaunchTemplateOverrides.builder().instanceType("m5a.large").build()))
                        .instancesDistribution(d -> d.onDemandBaseCapacity(1).onDemandPercentageAboveBaseCapacity(0)
                                .spotAllocationStrategy("price-capacity-optimized"))));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> inService("web").size() == 3);
        AutoScalingGroup g = group("web");
        assertThat(g.instances()).extracting(Instance::availabilityZone).contains("us-east-1a", "us-east-1b");
        assertThat(g.instances()).extracting(Instance::instanceType).contains("m5.large", "m5a.large");
        assertThat(g.mixedInstancesPolicy().instancesDistribution().onDemandBaseCapacity()).isEqualTo(1);
        var tagged = ec2.describeInstances(r -> r.filters(Filter.builder().name("tag:aws:autoscaling:groupName")
                .values("web").build())).reservations().stream().flatMap(res -> res.instances().stream()).toList();
        assertThat(tagged).hasSize(3);
        assertThat(tagged.stream().filter(i -> "spot".equals(i.instanceLifecycleAsString())).count()).isEqualTo(2);
        assertThat(activities("web")).extracting(Activity::description)
                .allMatch(d -> d.startsWith("Launching a new EC2 instance: i-"));
        assertThat(activities("web").get(0).cause()).contains("a user request created an AutoScalingGroup changing "
                + "the desired capacity from 0 to 3").contains("an instance was started in response to a difference "
                + "between desired and actual capacity");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                elb.describeTargetHealth(r -> r.targetGroupArn(tg)).targetHealthDescriptions().stream()
                        .filter(d -> d.targetHealth().stateAsString().equals("healthy")).count() == 3);
        URI endpoint = emulator.lookup(LoadBalancerControl.class).orElseThrow().listenerEndpoint(lb, 80).orElseThrow();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(endpoint).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(g.instances()).extracting(Instance::instanceId).contains(answer.body().trim());

        String leaving = inService("web").get(0).instanceId();
        Instant detachedAt = Instant.now();
        List<Activity> detached = autoscaling.detachInstances(r -> r.autoScalingGroupName("web").instanceIds(leaving)
                .shouldDecrementDesiredCapacity(false)).activities();
        assertThat(detached.get(0).description()).isEqualTo("Detaching EC2 instance: " + leaving);
        assertThat(detached.get(0).cause()).contains("was detached in response to a user request, keeping the capacity at 3");
        AutoScalingGroup afterDetach = group("web");
        assertThat(afterDetach.desiredCapacity()).isEqualTo(3);
        List<String> before = g.instances().stream().map(Instance::instanceId).toList();
        assertThat(afterDetach.instances()).filteredOn(i -> !i.instanceId().equals(leaving))
                .hasSize(3).filteredOn(i -> !before.contains(i.instanceId())).hasSize(1);
        assertThat(afterDetach.instances()).filteredOn(i -> i.instanceId().equals(leaving))
                .extracting(Instance::lifecycleStateAsString).containsExactly("Detaching");
        assertThat(Duration.between(detachedAt, Instant.now())).isLessThan(Duration.ofSeconds(1));
        assertThat(elb.describeTargetHealth(r -> r.targetGroupArn(tg)).targetHealthDescriptions())
                .filteredOn(d -> d.target().id().equals(leaving))
                .extracting(d -> d.targetHealth().stateAsString()).containsExactly("draining");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                group("web").instances().stream().noneMatch(i -> i.instanceId().equals(leaving)));
        assertThat(ec2.describeInstances(r -> r.instanceIds(leaving)).reservations().get(0).instances().get(0)
                .state().nameAsString()).isEqualTo("running");
        assertThat(autoscaling.describeAutoScalingInstances(r -> r.instanceIds(leaving)).autoScalingInstances()).isEmpty();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> inService("web").size() == 3);

        autoscaling.putLifecycleHook(r -> r.autoScalingGroupName("web").lifecycleHookName("drain")
                .lifecycleTransition("autoscaling:EC2_INSTANCE_TERMINATING").heartbeatTimeout(300));
        autoscaling.setDesiredCapacity(r -> r.autoScalingGroupName("web").desiredCapacity(2));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> group("web").instances()
                .stream().anyMatch(i -> i.lifecycleStateAsString().equals("Terminating:Wait")));
        String ending = group("web").instances().stream()
                .filter(i -> i.lifecycleStateAsString().equals("Terminating:Wait")).findFirst().orElseThrow().instanceId();
        assertThat(events).contains("aws.autoscaling|EC2 Instance-terminate Lifecycle Action|" + ending);
        assertThat(autoscaling.describeAutoScalingInstances(r -> r.instanceIds(ending)).autoScalingInstances().get(0)
                .lifecycleState()).isEqualTo("Terminating:Wait");
        autoscaling.completeLifecycleAction(r -> r.autoScalingGroupName("web").lifecycleHookName("drain")
                .instanceId(ending).lifecycleActionResult("CONTINUE"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                ec2.describeInstances(r -> r.instanceIds(ending)).reservations().get(0).instances().get(0).state()
                        .nameAsString().equals("terminated"));
        await().atMost(Duration.ofSeconds(5)).until(() -> group("web").instances().size() == 2);
        assertThat(activities("web").stream().map(Activity::description).collect(Collectors.toList()))
                .contains("Terminating EC2 instance: " + ending, "Detaching EC2 instance: " + leaving);
    }

    @Test
    void elbHealthCheckType_replacesAnInstanceItsTargetGroupFindsUnhealthy() {
        ec2.createLaunchTemplate(b -> b.launchTemplateName("silent").launchTemplateData(d -> d.imageId(AMI)
                .instanceType("m5.large").userData(Base64.getEncoder().encodeToString(
                        "#!/bin/sh\nsleep 600\n".getBytes(StandardCharsets.UTF_8)))));
        String lb = elb.createLoadBalancer(r -> r.name("judge")).loadBalancers().get(0).loadBalancerArn();
        String tg = elb.createTargetGroup(r -> r.name("judge-web").protocol("HTTP").port(8080)
                .healthCheckIntervalSeconds(5).unhealthyThresholdCount(2)).targetGroups().get(0).targetGroupArn();
        elb.createListener(r -> r.loadBalancerArn(lb).protocol("HTTP").port(80).defaultActions(Action.builder()
                .type(ActionTypeEnum.FORWARD).targetGroupArn(tg).build()));
        autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName("judged").minSize(1).maxSize(1)
                .launchTemplate(lt -> lt.launchTemplateName("silent")).availabilityZones("us-east-1a")
                .targetGroupARNs(tg).healthCheckType("ELB").healthCheckGracePeriod(0));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> inService("judged").size() == 1);
        String first = inService("judged").get(0).instanceId();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                activities("judged").stream().anyMatch(a -> a.description().equals("Terminating EC2 instance: " + first)));
        Activity taken = activities("judged").stream()
                .filter(a -> a.description().equals("Terminating EC2 instance: " + first)).findFirst().orElseThrow();
        assertThat(taken.cause()).contains("in response to an ELB system health check failure");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                group("judged").instances().stream().anyMatch(i -> !i.instanceId().equals(first)));
    }

    @Test
    void instanceThatEc2Ended_isTakenOutOfService_andReplaced() {
        autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName("lost").minSize(1).maxSize(1)
                .launchTemplate(lt -> lt.launchTemplateName("web")).availabilityZones("us-east-1c"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> inService("lost").size() == 1);
        String first = inService("lost").get(0).instanceId();

        ec2.terminateInstances(r -> r.instanceIds(first));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                inService("lost").size() == 1 && !inService("lost").get(0).instanceId().equals(first));
        Activity taken = activities("lost").stream().filter(a -> a.description().equals("Terminating EC2 instance: " + first))
                .findFirst().orElseThrow();
        assertThat(taken.cause()).contains("in response to an EC2 health check indicating it has been terminated or stopped");
        assertThat(activities("lost").get(0).description()).isEqualTo("Launching a new EC2 instance: "
                + inService("lost").get(0).instanceId());
    }

    @Test
    void mistakes_areRefusedWithTheErrorsOfAws() {
        autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName("small").minSize(0).maxSize(1).desiredCapacity(0)
                .launchTemplate(lt -> lt.launchTemplateName("web")).availabilityZones("us-east-1a"));
        assertThatThrownBy(() -> autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName("small").minSize(0)
                .maxSize(1).launchTemplate(lt -> lt.launchTemplateName("web")))).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> autoscaling.setDesiredCapacity(r -> r.autoScalingGroupName("small").desiredCapacity(5)))
                .isInstanceOf(AutoScalingException.class).hasMessageContaining("above max value 1")
                .satisfies(e -> assertThat(((AutoScalingException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> autoscaling.detachInstances(r -> r.autoScalingGroupName("small")
                .instanceIds("i-0123456789abcdef0").shouldDecrementDesiredCapacity(false)))
                .hasMessageContaining("is not part of Auto Scaling group small");
        assertThatThrownBy(() -> autoscaling.completeLifecycleAction(r -> r.autoScalingGroupName("small")
                .lifecycleHookName("none").instanceId("i-0123456789abcdef0").lifecycleActionResult("CONTINUE")))
                .hasMessageContaining("No active Lifecycle Action found");
        assertThat(autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames("nope")).autoScalingGroups()).isEmpty();
        autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName("small").maxSize(3).desiredCapacity(2));
        assertThat(group("small").desiredCapacity()).isEqualTo(2);
        assertThat(group("small").maxSize()).isEqualTo(3);
        assertThat(activities("small").get(0).cause()).isNotNull();
        assertThatThrownBy(() -> autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName("ghost").maxSize(3)))
                .hasMessageContaining("AutoScalingGroup ghost not found");
    }

    @Test
    void deleteGroup_withInstances_isRefusedUnlessForced_andForcedTerminatesThem() {
        autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName("doomed").minSize(0).maxSize(2).desiredCapacity(1)
                .launchTemplate(lt -> lt.launchTemplateName("web")).availabilityZones("us-east-1a"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> inService("doomed").size() == 1);
        String member = inService("doomed").get(0).instanceId();

        assertThatThrownBy(() -> autoscaling.deleteAutoScalingGroup(r -> r.autoScalingGroupName("doomed")))
                .isInstanceOf(AutoScalingException.class).hasMessageContaining("while there are instances")
                .satisfies(e -> assertThat(((AutoScalingException) e).awsErrorDetails().errorCode()).isEqualTo("ResourceInUse"));
        autoscaling.deleteAutoScalingGroup(r -> r.autoScalingGroupName("doomed").forceDelete(true));

        assertThat(autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames("doomed")).autoScalingGroups()).isEmpty();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> ec2.describeInstances(r -> r
                .instanceIds(member)).reservations().get(0).instances().get(0).state().nameAsString().equals("terminated"));
    }
}
