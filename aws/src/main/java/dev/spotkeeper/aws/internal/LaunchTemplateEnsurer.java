package dev.spotkeeper.aws.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.aws.Ec2Clients;
import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.protocol.Tags;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateHttpTokensState;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateInstanceMetadataTagsState;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;

/**
 * One launch template per workload, {@code spotkeeper-<workload>}, created on first use: IMDSv2 required (a
 * token is needed for every metadata read, AWS's advice against SSRF), hop limit 2 (so a container on the
 * instance still reaches IMDS) and instance metadata tags enabled (the agent reads {@code spotkeeper:evacuate}
 * from IMDS). Templates known to exist are remembered per region so a launch costs one call, not two.
 */
final class LaunchTemplateEnsurer {
    static final String PREFIX = "spotkeeper-";

    private final Ec2Clients clients;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    LaunchTemplateEnsurer(Ec2Clients clients) {
        this.clients = requireNonNull(clients, "clients is null");
    }

    /** The template's name for {@code workload}: EC2 allows 3–128 of letters, digits and {@code ( ) . - / _}. */
    static String nameFor(String workload) {
        String safe = workload.replaceAll("[^a-zA-Z0-9().\\-/_]", "_");
        String name = PREFIX + safe;
        return name.length() > 128 ? name.substring(0, 128) : name;
    }

    /** Creates the workload's template unless it exists; returns its name. */
    String ensure(String region, String workload) {
        String name = nameFor(workload);
        if (known.contains(region + "/" + name)) {
            return name;
        }
        try {
            clients.forRegion(region).createLaunchTemplate(r -> r.launchTemplateName(name)
                    .versionDescription("spotkeeper: IMDSv2 required, instance metadata tags enabled")
                    .launchTemplateData(d -> d
                            .metadataOptions(m -> m.httpTokens(LaunchTemplateHttpTokensState.REQUIRED).httpPutResponseHopLimit(2)
                                    .instanceMetadataTags(LaunchTemplateInstanceMetadataTagsState.ENABLED))
                            .instanceInitiatedShutdownBehavior(ShutdownBehavior.TERMINATE))
                    .tagSpecifications(t -> t.resourceType(ResourceType.LAUNCH_TEMPLATE).tags(
                            tag -> tag.key(Tags.MANAGED).value("true"),
                            tag -> tag.key(Ec2Compute.WORKLOAD_TAG).value(workload))));
        } catch (AwsServiceException e) {
            // Another controller (or an earlier run) made it first: the same name means the same settings.
            if (!Ec2Compute.errorCode(e).startsWith("InvalidLaunchTemplateName.AlreadyExists")) {
                throw AwsErrorTranslator.translate(e, "EC2", "CreateLaunchTemplate",
                        clients.settings().ec2Endpoint(region));
            }
        } catch (SdkException e) {
            throw AwsErrorTranslator.translate(e, "EC2", "CreateLaunchTemplate", clients.settings().ec2Endpoint(region));
        }
        known.add(region + "/" + name);
        return name;
    }

    void forget(String region, String name) {
        known.remove(region + "/" + name);
    }

    /** Whether a launch failed because its template is gone (deleted since it was remembered). */
    static boolean isMissingTemplate(SpotkeeperException e) {
        return e.getCause() instanceof AwsServiceException aws
                && Ec2Compute.errorCode(aws).startsWith("InvalidLaunchTemplateName.NotFound");
    }
}
