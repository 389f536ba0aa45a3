package dev.spotkeeper.aws.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.aws.Ec2Clients;
import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.SecurityGroupPort;
import dev.spotkeeper.core.protocol.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * {@link SecurityGroupPort} on EC2's security groups in the default VPC: one per workload, named
 * {@code spotkeeper-<workload>} and tagged {@code spotkeeper:workload} and {@code spotkeeper:managed} (the tags the
 * deployed control plane's role requires of CreateSecurityGroup and of every change to the group), found again by
 * those tags. Its ingress is one rule per source, TCP on the one port.
 */
public final class Ec2SecurityGroups implements SecurityGroupPort {
    private final Ec2Clients clients;

    public Ec2SecurityGroups(Ec2Clients clients) {
        this.clients = requireNonNull(clients, "clients is null");
    }

    @Override
    public Group createOrFind(String region, String workload, int port, List<String> sources) {
        for (String s : sources) {
            SecurityGroupPort.malformed(s).ifPresent(why -> {
                throw SpotkeeperException.invalidArgument("security group source " + why);
            });
        }
        Optional<Group> found = find(region, workload);
        if (found.isPresent()) {
            return found.get();
        }
        Ec2Client ec2 = clients.forRegion(region);
        String id = call(region, "CreateSecurityGroup", () -> ec2.createSecurityGroup(r -> r
                .groupName("spotkeeper-" + workload)
                .description("spotkeeper service " + workload + ": TCP " + port + " from the sources it names")
                .tagSpecifications(t -> t.resourceType(ResourceType.SECURITY_GROUP).tags(tag(Tags.WORKLOAD, workload),
                        tag(Tags.MANAGED, "true")))).groupId());
        if (!sources.isEmpty()) {
            List<IpPermission> rules = new ArrayList<>();
            for (String s : sources) {
                IpPermission.Builder p = IpPermission.builder().ipProtocol("tcp").fromPort(port).toPort(port);
                rules.add(s.startsWith("sg-") ? p.userIdGroupPairs(UserIdGroupPair.builder().groupId(s).build()).build()
                        : p.ipRanges(IpRange.builder().cidrIp(s).description("spotkeeper " + workload).build())
                        .build());
            }
            call(region, "AuthorizeSecurityGroupIngress", () -> ec2.authorizeSecurityGroupIngress(r -> r
                    .groupId(id).ipPermissions(rules)));
        }
        return find(region, workload).orElse(new Group(region, id, sources));
    }

    @Override
    public Optional<Group> find(String region, String workload) {
        Ec2Client ec2 = clients.forRegion(region);
        List<SecurityGroup> groups = call(region, "DescribeSecurityGroups", () -> ec2.describeSecurityGroups(r -> r
                .filters(Filter.builder().name("tag:" + Tags.WORKLOAD).values(workload).build(),
                        Filter.builder().name("tag:" + Tags.MANAGED).values("true").build())).securityGroups());
        return groups.stream().min(java.util.Comparator.comparing(SecurityGroup::groupId)).map(g -> {
            List<String> sources = new ArrayList<>();
            for (IpPermission p : g.ipPermissions()) {
                p.userIdGroupPairs().forEach(pair -> sources.add(pair.groupId()));
                p.ipRanges().forEach(range -> sources.add(range.cidrIp()));
            }
            return new Group(region, g.groupId(), sources);
        });
    }

    @Override
    public void delete(Group group) {
        Ec2Client ec2 = clients.forRegion(group.region());
        try {
            ec2.deleteSecurityGroup(r -> r.groupId(group.groupId()));
        } catch (Ec2Exception e) {
            if (e.awsErrorDetails() != null && "InvalidGroup.NotFound".equals(e.awsErrorDetails().errorCode())) {
                return; // gone already
            }
            throw AwsErrorTranslator.translate(e, "EC2", "DeleteSecurityGroup",
                    clients.settings().ec2Endpoint(group.region()));
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw AwsErrorTranslator.translate(e, "EC2", "DeleteSecurityGroup",
                    clients.settings().ec2Endpoint(group.region()));
        }
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private <T> T call(String region, String action, Supplier<T> body) {
        return AwsErrorTranslator.call("EC2", action, () -> clients.settings().ec2Endpoint(region), body);
    }
}
