package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.SecurityGroupPort;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code Ec2SecurityGroups} through {@link AwsPorts} against the emulator's security groups. */
class Ec2SecurityGroupsTest {
    private static EmulatedAws aws;

    @BeforeAll
    static void start() throws Exception {
        aws = EmulatedAws.start(64);
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    private static SecurityGroupPort groups() {
        return aws.ports.securityGroups();
    }

    @Test
    void aServicesGroup_isCreatedWithItsSources_foundAgain_andDeletedOnce() {
        SecurityGroupPort.Group clients = groups().createOrFind(EmulatedAws.REGION, "sg-clients", 3306, List.of());
        List<String> sources = List.of(clients.groupId(), "10.0.0.0/16");

        SecurityGroupPort.Group g = groups().createOrFind(EmulatedAws.REGION, "appdb", 3306, sources);

        assertThat(g.groupId()).startsWith("sg-").isNotEqualTo(clients.groupId());
        assertThat(g.sources()).containsExactlyInAnyOrderElementsOf(sources);
        assertThat(groups().createOrFind(EmulatedAws.REGION, "appdb", 3306, sources)).as("found, not made again")
                .isEqualTo(g);
        assertThat(groups().find(EmulatedAws.REGION, "appdb")).contains(g);

        groups().delete(g);
        groups().delete(g);

        assertThat(groups().find(EmulatedAws.REGION, "appdb")).isEmpty();
        groups().delete(clients);
    }

    @Test
    void aMalformedSource_isRefusedBeforeAnythingIsMade() {
        assertThatThrownBy(() -> groups().createOrFind(EmulatedAws.REGION, "baddb", 3306, List.of("10.0.0.0/33")))
                .isInstanceOf(SpotkeeperException.class).hasMessageContaining("at most 32");
        assertThatThrownBy(() -> groups().createOrFind(EmulatedAws.REGION, "baddb", 3306, List.of("0.0.0.0/0")))
                .hasMessageContaining("whole internet");
        assertThatThrownBy(() -> groups().createOrFind(EmulatedAws.REGION, "baddb", 3306, List.of("sg-12")))
                .hasMessageContaining("neither a security group id");

        assertThat(groups().find(EmulatedAws.REGION, "baddb")).isEmpty();
    }
}
