package dev.spotkeeper.emulator.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/** The emulator's security groups through the AWS SDK: create, authorize ingress, describe, delete. */
class SecurityGroupTest {
    @TempDir
    static Path work;
    static EmulatorFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(work, 256);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static String create(String name, String workload) {
        return f.ec2.createSecurityGroup(b -> b.groupName(name).description("database " + workload)
                .tagSpecifications(t -> t.resourceType(ResourceType.SECURITY_GROUP).tags(
                        x -> x.key("spotkeeper:workload").value(workload)))).groupId();
    }

    private static IpPermission mysqlFrom(String cidr, String group) {
        return IpPermission.builder().ipProtocol("tcp").fromPort(3306).toPort(3306)
                .ipRanges(cidr == null ? List.of() : List.of(software.amazon.awssdk.services.ec2.model.IpRange
                        .builder().cidrIp(cidr).build()))
                .userIdGroupPairs(group == null ? List.of() : List.of(software.amazon.awssdk.services.ec2.model
                        .UserIdGroupPair.builder().groupId(group).build())).build();
    }

    /** The EC2 error code the call is refused with. */
    private static String refused(Runnable call) {
        try {
            call.run();
        } catch (Ec2Exception e) {
            return e.awsErrorDetails().errorCode();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void aGroupWithIngressFromACidrAndAGroup_isDescribedWithItsRulesAndTags_andDeleted() {
        String clients = create("clients-a", "other");
        String db = create("spotkeeper-appdb-a", "appdb");

        var added = f.ec2.authorizeSecurityGroupIngress(b -> b.groupId(db).ipPermissions(
                mysqlFrom("10.0.0.0/16", null), mysqlFrom(null, clients)));

        assertThat(added.returnValue()).isTrue();
        assertThat(added.securityGroupRules()).hasSize(2).allSatisfy(r -> {
            assertThat(r.groupId()).isEqualTo(db);
            assertThat(r.fromPort()).isEqualTo(3306);
            assertThat(r.isEgress()).isFalse();
        });
        SecurityGroup g = f.ec2.describeSecurityGroups(b -> b.filters(Filter.builder()
                .name("tag:spotkeeper:workload").values("appdb").build())).securityGroups().get(0);
        assertThat(g.groupId()).isEqualTo(db);
        assertThat(g.groupName()).isEqualTo("spotkeeper-appdb-a");
        assertThat(g.ipPermissions()).hasSize(2);
        assertThat(g.ipPermissions()).anySatisfy(p -> assertThat(p.ipRanges()).singleElement()
                .satisfies(r -> assertThat(r.cidrIp()).isEqualTo("10.0.0.0/16")));
        assertThat(g.ipPermissions()).anySatisfy(p -> assertThat(p.userIdGroupPairs()).singleElement()
                .satisfies(r -> assertThat(r.groupId()).isEqualTo(clients)));
        assertThat(g.ipPermissions()).allSatisfy(p -> {
            assertThat(p.ipProtocol()).isEqualTo("tcp");
            assertThat(p.fromPort()).isEqualTo(3306);
            assertThat(p.toPort()).isEqualTo(3306);
        });
        assertThat(g.tags()).anySatisfy(t -> assertThat(t.value()).isEqualTo("appdb"));

        assertThat(refused(() -> f.ec2.deleteSecurityGroup(b -> b.groupId(clients))))
                .as("a group another group's rule names").isEqualTo("DependencyViolation");
        f.ec2.deleteSecurityGroup(b -> b.groupId(db));
        f.ec2.deleteSecurityGroup(b -> b.groupId(clients));

        assertThat(f.ec2.describeSecurityGroups(b -> b.filters(Filter.builder().name("group-id").values(db, clients)
                .build())).securityGroups()).isEmpty();
        assertThat(refused(() -> f.ec2.describeSecurityGroups(b -> b.groupIds(db)))).isEqualTo("InvalidGroup.NotFound");
    }

    @Test
    void aDuplicateName_aDuplicateRule_aMalformedCidr_andAnUnknownGroup_areRefusedAsEc2Does() {
        String db = create("spotkeeper-dup", "dup");
        f.ec2.authorizeSecurityGroupIngress(b -> b.groupId(db).ipPermissions(mysqlFrom("192.168.0.0/24", null)));

        assertThat(refused(() -> create("spotkeeper-dup", "dup"))).isEqualTo("InvalidGroup.Duplicate");
        assertThat(refused(() -> f.ec2.authorizeSecurityGroupIngress(b -> b.groupId(db)
                .ipPermissions(mysqlFrom("192.168.0.0/24", null))))).isEqualTo("InvalidPermission.Duplicate");
        assertThat(refused(() -> f.ec2.authorizeSecurityGroupIngress(b -> b.groupId(db)
                .ipPermissions(mysqlFrom("10.0.0/8", null))))).isEqualTo("InvalidParameterValue");
        assertThat(refused(() -> f.ec2.authorizeSecurityGroupIngress(b -> b.groupId("sg-0000000000000dead")
                .ipPermissions(mysqlFrom("10.0.0.0/8", null))))).isEqualTo("InvalidGroup.NotFound");
        assertThat(f.ec2.describeSecurityGroups(b -> b.groupIds(db)).securityGroups().get(0).ipPermissions())
                .as("the refused rules added nothing").hasSize(1);
    }
}
