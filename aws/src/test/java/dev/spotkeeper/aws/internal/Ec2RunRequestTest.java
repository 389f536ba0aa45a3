package dev.spotkeeper.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.cloud.LaunchRequest;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;

/** What RunInstances is asked for: the agent's instance profile when the plane names one, by name or by ARN. */
class Ec2RunRequestTest {
    private static final LaunchRequest LAUNCH = new LaunchRequest("train-1", "us-east-1", "us-east-1a", "m5.large",
            true, Optional.empty(), "ami-1", "#!/bin/sh\n", Map.of("spotkeeper:workload", "train"));

    @Test
    void theInstanceProfile_goesWithEveryLaunch_byNameOrByArn_andNoneWhenNoneIsNamed() {
        RunInstancesRequest none = Ec2Compute.runRequest(LAUNCH, "spotkeeper-train", Optional.empty());
        RunInstancesRequest byName = Ec2Compute.runRequest(LAUNCH, "spotkeeper-train", Optional.of("spotkeeper-agent"));
        RunInstancesRequest byArn = Ec2Compute.runRequest(LAUNCH, "spotkeeper-train",
                Optional.of("arn:aws:iam::123456789012:instance-profile/spotkeeper-agent"));

        assertThat(none.iamInstanceProfile()).isNull();
        assertThat(byName.iamInstanceProfile().name()).isEqualTo("spotkeeper-agent");
        assertThat(byName.iamInstanceProfile().arn()).isNull();
        assertThat(byArn.iamInstanceProfile().arn())
                .isEqualTo("arn:aws:iam::123456789012:instance-profile/spotkeeper-agent");
        assertThat(byArn.clientToken()).isEqualTo("train-1");
        assertThat(byArn.launchTemplate().launchTemplateName()).isEqualTo("spotkeeper-train");
    }
}
