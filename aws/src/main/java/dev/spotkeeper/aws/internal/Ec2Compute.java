package dev.spotkeeper.aws.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.aws.Ec2Clients;
import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.LaunchRequest;
import dev.spotkeeper.core.protocol.Tags;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceInterruptionBehavior;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * {@link ComputePort} on EC2. Every launch goes through the workload's launch template (IMDSv2 required,
 * instance metadata tags on, see {@link LaunchTemplateEnsurer}), or through one given template for every workload
 * (the deployed stack's), and carries the request's {@code ClientToken},
 * so a launch retried after a crash returns the instance the first attempt made (EC2's idempotency,
 * "Ensuring idempotency in Amazon EC2 API requests").
 */
public final class Ec2Compute implements ComputePort {
    /** The tag naming the workload an instance serves (job-runtime.md); one launch template per workload. */
    static final String WORKLOAD_TAG = Tags.WORKLOAD;
    /** Every state but terminated: a crashed controller must still see instances that are on their way out. */
    private static final List<String> LISTED_STATES = List.of("pending", "running", "shutting-down", "stopping",
            "stopped");

    private final Ec2Clients clients;
    private final LaunchTemplateEnsurer templates;
    private final java.util.Optional<String> instanceProfile;
    private final java.util.Optional<String> launchTemplate;

    public Ec2Compute(Ec2Clients clients) {
        this(clients, java.util.Optional.empty());
    }

    /**
     * @param instanceProfile the instance profile every instance is launched with (its name, or its ARN): the role
     *     the agent reads its spec, the agent jar and the checkpoints with, and sends its reports as
     */
    public Ec2Compute(Ec2Clients clients, java.util.Optional<String> instanceProfile) {
        this(clients, instanceProfile, java.util.Optional.empty());
    }

    /**
     * @param launchTemplate the launch template (name) every instance is launched through (the deployed stack's,
     *     which requires IMDSv2 itself); empty for one per workload, made when missing
     */
    public Ec2Compute(Ec2Clients clients, java.util.Optional<String> instanceProfile,
                      java.util.Optional<String> launchTemplate) {
        this.clients = requireNonNull(clients, "clients is null");
        this.templates = new LaunchTemplateEnsurer(clients);
        this.instanceProfile = requireNonNull(instanceProfile, "instanceProfile is null");
        this.launchTemplate = requireNonNull(launchTemplate, "launchTemplate is null");
    }

    @Override
    public CloudInstance launch(LaunchRequest request) {
        String workload = request.tags().getOrDefault(WORKLOAD_TAG, "default");
        String template = launchTemplate.orElseGet(() -> templates.ensure(request.region(), workload));
        List<Instance> instances;
        try {
            instances = run(request, template);
        } catch (SpotkeeperException e) {
            if (!LaunchTemplateEnsurer.isMissingTemplate(e) || launchTemplate.isPresent()) {
                // The stack's template is the stack's: a missing one is not made here.
                throw e;
            }
            // Deleted since we made it: make it again, once.
            templates.forget(request.region(), template);
            instances = run(request, templates.ensure(request.region(), workload));
        }
        if (instances.isEmpty()) {
            throw SpotkeeperException.of(ErrorCode.CLOUD_ERROR,
                    "RunInstances returned no instance for client token " + request.clientToken());
        }
        return toCloudInstance(request.region(), instances.get(0));
    }

    private List<Instance> run(LaunchRequest request, String template) {
        Ec2Client ec2 = clients.forRegion(request.region());
        RunInstancesRequest run = runRequest(request, template, instanceProfile);
        return call(request.region(), "RunInstances", () -> ec2.runInstances(run).instances());
    }

    static RunInstancesRequest runRequest(LaunchRequest request, String template,
                                          java.util.Optional<String> instanceProfile) {
        // Sorted: a launch retried by a restarted controller must send the very same parameters, or EC2 answers
        // the repeated ClientToken with IdempotentParameterMismatch; a map's iteration order may differ per JVM.
        List<Tag> tags = new ArrayList<>();
        new TreeMap<>(request.tags()).forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
        RunInstancesRequest.Builder b = RunInstancesRequest.builder()
                .launchTemplate(t -> t.launchTemplateName(template).version("$Latest"))
                .clientToken(request.clientToken())
                .imageId(request.imageId())
                .instanceType(request.instanceType())
                .minCount(1)
                .maxCount(1)
                .instanceInitiatedShutdownBehavior(ShutdownBehavior.TERMINATE)
                .userData(Base64.getEncoder().encodeToString(request.userData().getBytes(StandardCharsets.UTF_8)));
        instanceProfile.ifPresent(profile -> b.iamInstanceProfile(p -> {
            if (profile.startsWith("arn:")) {
                p.arn(profile);
            } else {
                p.name(profile);
            }
        }));
        if (!request.availabilityZone().isBlank()) {
            // Without a zone EC2 picks one; spotkeeper's placement normally chooses it.
            b.placement(p -> p.availabilityZone(request.availabilityZone()));
        }
        List<TagSpecification> specs = new ArrayList<>();
        if (!tags.isEmpty()) {
            specs.add(TagSpecification.builder()
                    .resourceType("instance").tags(tags).build());
        }
        if (request.spot()) {
            b.instanceMarketOptions(m -> m.marketType(MarketType.SPOT).spotOptions(s -> {
                s.spotInstanceType(SpotInstanceType.ONE_TIME)
                        .instanceInterruptionBehavior(InstanceInterruptionBehavior.TERMINATE);
                request.maxPrice().ifPresent(price -> s.maxPrice(String.format(Locale.ROOT, "%.6f", price)));
            }));
            if (!tags.isEmpty()) {
                specs.add(TagSpecification.builder()
                        .resourceType("spot-instances-request").tags(tags).build());
            }
        }
        return b.tagSpecifications(specs).build();
    }

    @Override
    public List<CloudInstance> find(String region, Map<String, String> tags) {
        List<Filter> filters = new ArrayList<>();
        tags.forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        filters.add(Filter.builder().name("instance-state-name").values(LISTED_STATES).build());
        Ec2Client ec2 = clients.forRegion(region);
        return call(region, "DescribeInstances", () -> {
            List<CloudInstance> found = new ArrayList<>();
            ec2.describeInstancesPaginator(r -> r.filters(filters).maxResults(100)).reservations()
                    .forEach(res -> res.instances().forEach(i -> found.add(toCloudInstance(region, i))));
            return found;
        });
    }

    @Override
    public void tag(String region, String instanceId, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        List<Tag> list = new ArrayList<>();
        tags.forEach((k, v) -> list.add(Tag.builder().key(k).value(v).build()));
        Ec2Client ec2 = clients.forRegion(region);
        call(region, "CreateTags", () -> ec2.createTags(r -> r.resources(instanceId).tags(list)));
    }

    @Override
    public void terminate(String region, String instanceId) {
        Ec2Client ec2 = clients.forRegion(region);
        try {
            cancelSpotRequest(ec2, instanceId);
            ec2.terminateInstances(r -> r.instanceIds(instanceId));
        } catch (AwsServiceException e) {
            // EC2 forgets terminated instances after about an hour: one it no longer knows is gone already.
            if (!"InvalidInstanceID.NotFound".equals(errorCode(e))) {
                throw translate(e, region, "TerminateInstances");
            }
        } catch (SdkException e) {
            throw translate(e, region, "TerminateInstances");
        }
    }

    @Override
    public String consoleOutput(String region, String instanceId) {
        Ec2Client ec2 = clients.forRegion(region);
        String output = call(region, "GetConsoleOutput", () -> ec2.getConsoleOutput(r -> r.instanceId(instanceId)).output());
        // The SDK hands the output over as EC2 sends it: base64.
        return output == null || output.isEmpty() ? ""
                : new String(Base64.getMimeDecoder().decode(output), StandardCharsets.UTF_8);
    }

    /**
     * Cancels the instance's spot request before the instance is terminated, as the EC2 User Guide advises ("Cancel
     * a Spot Instance request"): a one-time request closes with its instance anyway, but no request, whatever its
     * type, is then left to launch the capacity again.
     */
    private static void cancelSpotRequest(Ec2Client ec2, String instanceId) {
        Optional<String> request = ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
                .flatMap(res -> res.instances().stream())
                .map(Instance::spotInstanceRequestId)
                .filter(id -> id != null && !id.isEmpty())
                .findFirst();
        request.ifPresent(id -> ec2.cancelSpotInstanceRequests(r -> r.spotInstanceRequestIds(id)));
    }

    static CloudInstance toCloudInstance(String region, Instance i) {
        Map<String, String> tags = new LinkedHashMap<>();
        i.tags().forEach(t -> tags.put(t.key(), t.value() == null ? "" : t.value()));
        String zone = i.placement() == null || i.placement().availabilityZone() == null ? ""
                : i.placement().availabilityZone();
        String state = i.state() == null ? "pending" : i.state().nameAsString();
        Instant launched = i.launchTime() == null ? Instant.EPOCH : i.launchTime();
        return new CloudInstance(i.instanceId(), region, zone, i.instanceTypeAsString(),
                "spot".equals(i.instanceLifecycleAsString()), state, launched, tags);
    }

    private <T> T call(String region, String action, Supplier<T> body) {
        return AwsErrorTranslator.call("EC2", action, () -> clients.settings().ec2Endpoint(region), body);
    }

    private SpotkeeperException translate(SdkException e, String region, String action) {
        return AwsErrorTranslator.translate(e, "EC2", action, clients.settings().ec2Endpoint(region));
    }

    static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                : e.awsErrorDetails().errorCode();
    }
}
