package dev.spotkeeper.emulator.ec2.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * CreateSecurityGroup, AuthorizeSecurityGroupIngress, DeleteSecurityGroup, DescribeSecurityGroups: VPC security
 * groups as records with their ingress rules (TCP/UDP port ranges from CIDR blocks or other groups) and tags. The
 * emulator's instances are local processes, so a group admits nothing and refuses nothing: it is kept to be
 * described and deleted as EC2 would. Groups are per region; names are unique per VPC.
 */
final class SecurityGroupActions {
    private static final Set<String> FILTERS = Set.of("group-id", "group-name", "vpc-id", "tag-key");
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp", "-1");

    private record Rule(String protocol, int from, int to, String cidr, String group) {
    }

    private static final class Group {
        final String id;
        final String region;
        final String name;
        final String description;
        final String vpcId;
        final Map<String, String> tags;
        final List<Rule> ingress = new ArrayList<>();

        Group(String id, String region, String name, String description, String vpcId, Map<String, String> tags) {
            this.id = id;
            this.region = region;
            this.name = name;
            this.description = description;
            this.vpcId = vpcId;
            this.tags = tags;
        }
    }

    private final Function<String, String> ids;
    private final Map<String, Group> groups = new LinkedHashMap<>();

    SecurityGroupActions(Function<String, String> ids) {
        this.ids = ids;
    }

    synchronized String create(Call c) {
        QueryParams p = c.params();
        String name = p.require("GroupName");
        String description = p.require("GroupDescription");
        if (name.length() > 255 || description.length() > 255) {
            throw Ec2Error.invalid("GroupName and GroupDescription are at most 255 characters");
        }
        if (name.toLowerCase(java.util.Locale.ROOT).startsWith("sg-")) {
            throw Ec2Error.client("InvalidParameterValue", "Group names may not be in the format sg-*");
        }
        String vpc = p.get("VpcId").orElse(Subnets.VPC_ID);
        for (Group g : groups.values()) {
            if (g.region.equals(c.region()) && g.vpcId.equals(vpc) && g.name.equals(name)) {
                throw Ec2Error.client("InvalidGroup.Duplicate", "The security group '" + name + "' already exists"
                        + " for VPC '" + vpc + "'");
            }
        }
        Group g = new Group(ids.apply("sg"), c.region(), name, description, vpc,
                LaunchSpecs.tags(p, "security-group"));
        groups.put(g.id, g);
        Xml x = c.response().el("return", true).el("groupId", g.id).open("tagSet");
        g.tags.forEach((k, v) -> x.open("item").el("key", k).el("value", v).close());
        return x.close().finish();
    }

    synchronized String authorizeIngress(Call c) {
        QueryParams p = c.params();
        Group g = require(p.require("GroupId"), c.region());
        List<Rule> added = new ArrayList<>();
        for (QueryParams perm : p.structs("IpPermissions")) {
            String protocol = perm.require("IpProtocol").toLowerCase(java.util.Locale.ROOT);
            if (!PROTOCOLS.contains(protocol)) {
                throw Ec2Error.invalidValue("IpProtocol", protocol, PROTOCOLS);
            }
            int from = perm.integer("FromPort", -1);
            int to = perm.integer("ToPort", -1);
            if ((protocol.equals("tcp") || protocol.equals("udp")) && (from < 0 || to > 65_535 || from > to)) {
                throw Ec2Error.client("InvalidParameterValue", "Invalid TCP/UDP port range (" + from + " to " + to
                        + ")");
            }
            List<QueryParams> ranges = perm.structs("IpRanges");
            List<QueryParams> pairs = perm.structs("Groups");
            if (ranges.isEmpty() && pairs.isEmpty()) {
                throw Ec2Error.missing("IpPermissions.N.IpRanges or IpPermissions.N.Groups");
            }
            for (QueryParams r : ranges) {
                String cidr = r.require("CidrIp");
                if (!cidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
                    throw Ec2Error.client("InvalidParameterValue", "CIDR block " + cidr + " is malformed");
                }
                added.add(new Rule(protocol, from, to, cidr, ""));
            }
            for (QueryParams pair : pairs) {
                String other = pair.require("GroupId");
                require(other, c.region());
                added.add(new Rule(protocol, from, to, "", other));
            }
        }
        for (Rule r : added) {
            if (g.ingress.contains(r)) {
                throw Ec2Error.client("InvalidPermission.Duplicate", "the specified rule \"peer: "
                        + (r.cidr().isEmpty() ? r.group() : r.cidr()) + ", " + r.protocol().toUpperCase(
                        java.util.Locale.ROOT) + ", from port: " + r.from() + ", to port: " + r.to()
                        + ", ALLOW\" already exists");
            }
        }
        g.ingress.addAll(added);
        Xml x = c.response().el("return", true).open("securityGroupRuleSet");
        for (Rule r : added) {
            x.open("item").el("securityGroupRuleId", ids.apply("sgr")).el("groupId", g.id)
                    .el("groupOwnerId", Lifecycle.ACCOUNT_ID).el("isEgress", false).el("ipProtocol", r.protocol())
                    .el("fromPort", r.from()).el("toPort", r.to());
            if (!r.cidr().isEmpty()) {
                x.el("cidrIpv4", r.cidr());
            } else {
                x.open("referencedGroupInfo").el("groupId", r.group()).el("userId", Lifecycle.ACCOUNT_ID).close();
            }
            x.close();
        }
        return x.close().finish();
    }

    synchronized String delete(Call c) {
        QueryParams p = c.params();
        Group g = require(p.require("GroupId"), c.region());
        for (Group other : groups.values()) {
            if (other != g && other.ingress.stream().anyMatch(r -> r.group().equals(g.id))) {
                throw Ec2Error.client("DependencyViolation", "resource " + g.id + " has a dependent object");
            }
        }
        groups.remove(g.id);
        return c.response().el("return", true).el("groupId", g.id).finish();
    }

    synchronized String describe(Call c) {
        QueryParams p = c.params();
        Map<String, List<String>> filters = p.filters();
        for (String name : filters.keySet()) {
            if (!FILTERS.contains(name) && !name.startsWith("tag:")) {
                throw Ec2Error.invalidValue("filter", name, FILTERS);
            }
        }
        List<String> wanted = p.list("GroupId");
        for (String id : wanted) {
            require(id, c.region());
        }
        List<String> names = p.list("GroupName");
        Xml x = c.response().open("securityGroupInfo");
        for (Group g : groups.values()) {
            if (!g.region.equals(c.region()) || (!wanted.isEmpty() && !wanted.contains(g.id))
                    || (!names.isEmpty() && !names.contains(g.name)) || !matches(filters, g)) {
                continue;
            }
            x.open("item").el("ownerId", Lifecycle.ACCOUNT_ID).el("groupId", g.id).el("groupName", g.name)
                    .el("groupDescription", g.description).el("vpcId", g.vpcId).open("ipPermissions");
            for (Rule r : g.ingress) {
                x.open("item").el("ipProtocol", r.protocol()).el("fromPort", r.from()).el("toPort", r.to())
                        .open("groups");
                if (!r.group().isEmpty()) {
                    x.open("item").el("groupId", r.group()).el("userId", Lifecycle.ACCOUNT_ID).close();
                }
                x.close().open("ipRanges");
                if (!r.cidr().isEmpty()) {
                    x.open("item").el("cidrIp", r.cidr()).close();
                }
                x.close().close();
            }
            x.close().open("ipPermissionsEgress").open("item").el("ipProtocol", "-1").open("groups").close()
                    .open("ipRanges").open("item").el("cidrIp", "0.0.0.0/0").close().close().close().close();
            x.open("tagSet");
            g.tags.forEach((k, v) -> x.open("item").el("key", k).el("value", v).close());
            x.close().close();
        }
        return x.finish();
    }

    private static boolean matches(Map<String, List<String>> filters, Group g) {
        if (!Filters.matches(filters, "group-id", g.id) || !Filters.matches(filters, "group-name", g.name)
                || !Filters.matches(filters, "vpc-id", g.vpcId)) {
            return false;
        }
        List<String> keys = filters.get("tag-key");
        if (keys != null && g.tags.keySet().stream().noneMatch(k -> Filters.matches(Map.of("k", keys), "k", k))) {
            return false;
        }
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            if (f.getKey().startsWith("tag:")
                    && !Filters.matches(filters, f.getKey(), g.tags.get(f.getKey().substring(4)))) {
                return false;
            }
        }
        return true;
    }

    private Group require(String id, String region) {
        Group g = groups.get(id);
        if (g == null || !g.region.equals(region)) {
            throw Ec2Error.client("InvalidGroup.NotFound", "The security group '" + id + "' does not exist");
        }
        return g;
    }
}
