package dev.spotkeeper.testkit.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.LaunchRequest;
import dev.spotkeeper.testkit.MutableClock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The in-memory compute keeps the contract of the EC2 adapter, plus its failure modes. */
class InMemoryComputeTest extends ComputePortContract {
    private final InMemoryCompute compute = new InMemoryCompute(MutableClock.at("2026-03-01T00:00:00Z"));

    @Override
    protected ComputePort compute() {
        return compute;
    }

    @Override
    protected LaunchRequest request(String clientToken, Map<String, String> tags, String userData) {
        return new LaunchRequest(clientToken, "us-east-1", "us-east-1a", "m5.large", true, Optional.empty(), "ami-test",
                userData, tags);
    }

    @Test
    void lostResponse_createsTheInstance_andTheRetryWithTheSameTokenReturnsIt() {
        compute.loseNextLaunchResponses(1);
        LaunchRequest r = request("w-1", Map.of("spotkeeper:workload", "w"), "");

        assertThatThrownBy(() -> compute.launch(r)).isInstanceOf(SpotkeeperException.class);
        String id = compute.alive().get(0).instanceId();

        assertThat(compute.launch(r).instanceId()).isEqualTo(id);
        assertThat(compute.all()).hasSize(1);
    }

    @Test
    void poolWithoutCapacity_andThrottling_failWithTheirCodes() {
        compute.removeCapacity("us-east-1/us-east-1a/m5.large");
        assertThatThrownBy(() -> compute.launch(request("w-1", Map.of(), "")))
                .satisfies(e -> assertThat(((SpotkeeperException) e).code()).isEqualTo(ErrorCode.INSUFFICIENT_CAPACITY));

        compute.setThrottled(true);
        assertThatThrownBy(() -> compute.find("us-east-1", Map.of()))
                .satisfies(e -> assertThat(((SpotkeeperException) e).code()).isEqualTo(ErrorCode.THROTTLED));
    }
}
