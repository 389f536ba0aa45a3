package dev.spotkeeper.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChaosRolesTest {
    @Test
    void permissions_letFisActOnlyOnTheWorkloadsInstances_inItsRegion() {
        Map<String, Object> policy = Json.parseObject(ChaosRoles.permissions("train", "eu-west-1",
                Optional.of("111122223333")));

        List<?> statements = (List<?>) policy.get("Statement");
        assertThat(statements).hasSize(2);
        Map<?, ?> act = (Map<?, ?>) statements.get(0);
        assertThat(act.get("Action")).isEqualTo(List.of("ec2:SendSpotInstanceInterruptions", "ec2:TerminateInstances"));
        assertThat(act.get("Resource")).isEqualTo("arn:aws:ec2:eu-west-1:111122223333:instance/*");
        assertThat(act.get("Condition")).isEqualTo(Map.of("StringEquals",
                Map.of("aws:ResourceTag/spotkeeper:workload", "train")));
        Map<?, ?> find = (Map<?, ?>) statements.get(1);
        assertThat(find.get("Action")).isEqualTo("ec2:DescribeInstances");
        assertThat(find.get("Resource")).isEqualTo("*");
        assertThat(ChaosRoles.permissions("train", "eu-west-1", Optional.empty())).contains("arn:aws:ec2:eu-west-1:*:instance/*");
    }

    @Test
    void trustPolicy_letsOnlyFisAssumeTheRole_forThisAccount() {
        Map<String, Object> trust = Json.parseObject(ChaosRoles.trustPolicy(Optional.of("111122223333")));

        Map<?, ?> statement = (Map<?, ?>) ((List<?>) trust.get("Statement")).get(0);
        assertThat(statement.get("Principal")).isEqualTo(Map.of("Service", "fis.amazonaws.com"));
        assertThat(statement.get("Action")).isEqualTo("sts:AssumeRole");
        assertThat(statement.get("Condition")).isEqualTo(Map.of("StringEquals", Map.of("aws:SourceAccount", "111122223333")));
    }

    @Test
    void roleName_fitsIamsLimit_evenForTheLongestWorkloadName() {
        String longest = "a".repeat(63);

        assertThat(ChaosRoles.roleName("train")).isEqualTo("spotkeeper-chaos-train");
        assertThat(ChaosRoles.roleName(longest)).hasSizeLessThanOrEqualTo(64).startsWith("spotkeeper-chaos-aaa")
                .isNotEqualTo(ChaosRoles.roleName("a".repeat(62) + "b"));
    }
}
