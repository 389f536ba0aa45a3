package dev.spotkeeper.testkit.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.LaunchRequest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link ComputePort} keeps: launches are idempotent per client token, instances are found by
 * their tags until they are terminated, terminating twice is harmless, and the console shows the user data's
 * output. Implementations supply a launchable request (their region, zone, type and image).
 */
public abstract class ComputePortContract {
    protected abstract ComputePort compute();

    /** A spot launch with these settings that the implementation can fulfil. */
    protected abstract LaunchRequest request(String clientToken, Map<String, String> tags, String userData);

    /** How long an instance may take to run its user data or to disappear. */
    protected Duration patience() {
        return Duration.ofSeconds(30);
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, String> tags(String workload) {
        return Map.of("spotkeeper:managed", "true", "spotkeeper:workload", workload, "spotkeeper:generation", "1",
                "spotkeeper:replaces", "");
    }

    @Test
    void launch_thenFindByTags_returnsTheInstanceWithItsTags() {
        String workload = unique("find");
        LaunchRequest request = request(workload + "-1", tags(workload), "#!/bin/sh\ntrue\n");

        CloudInstance launched = compute().launch(request);
        var found = compute().find(request.region(), Map.of("spotkeeper:workload", workload));

        assertThat(found).extracting(CloudInstance::instanceId).containsExactly(launched.instanceId());
        CloudInstance i = found.get(0);
        assertThat(i.tags()).containsAllEntriesOf(tags(workload));
        assertThat(i.spot()).isEqualTo(request.spot());
        assertThat(i.instanceType()).isEqualTo(request.instanceType());
        assertThat(i.availabilityZone()).isEqualTo(request.availabilityZone());
        assertThat(compute().find(request.region(), Map.of("spotkeeper:workload", unique("other")))).isEmpty();
        compute().terminate(request.region(), launched.instanceId());
    }

    @Test
    void launch_sameClientTokenTwice_givesOneInstance() {
        String workload = unique("token");
        LaunchRequest request = request(workload + "-1", tags(workload), "#!/bin/sh\ntrue\n");

        CloudInstance first = compute().launch(request);
        CloudInstance second = compute().launch(request);

        assertThat(second.instanceId()).isEqualTo(first.instanceId());
        assertThat(compute().find(request.region(), Map.of("spotkeeper:workload", workload))).hasSize(1);
        compute().terminate(request.region(), first.instanceId());
    }

    @Test
    void terminate_takesTheInstanceOutOfFind_andTerminatingAgainIsNoError() {
        String workload = unique("gone");
        LaunchRequest request = request(workload + "-1", tags(workload), "#!/bin/sh\ntrue\n");
        CloudInstance launched = compute().launch(request);

        compute().terminate(request.region(), launched.instanceId());

        await().atMost(patience()).until(() ->
                compute().find(request.region(), Map.of("spotkeeper:workload", workload)).isEmpty());
        compute().terminate(request.region(), launched.instanceId());
    }

    @Test
    void tag_addsTagsThatFindSees() {
        String workload = unique("tagged");
        LaunchRequest request = request(workload + "-1", tags(workload), "#!/bin/sh\ntrue\n");
        CloudInstance launched = compute().launch(request);

        compute().tag(request.region(), launched.instanceId(), Map.of("spotkeeper:evacuate", "2026-01-01T00:02:00Z"));

        assertThat(compute().find(request.region(), Map.of("spotkeeper:workload", workload,
                "spotkeeper:evacuate", "2026-01-01T00:02:00Z"))).extracting(CloudInstance::instanceId)
                .containsExactly(launched.instanceId());
        compute().terminate(request.region(), launched.instanceId());
    }

    @Test
    void consoleOutput_showsWhatTheUserDataPrinted() {
        String workload = unique("console");
        String marker = unique("hello");
        LaunchRequest request = request(workload + "-1", tags(workload), "#!/bin/sh\necho " + marker + "\n");
        CloudInstance launched = compute().launch(request);

        await().atMost(patience()).until(() ->
                compute().consoleOutput(request.region(), launched.instanceId()).contains(marker));
        compute().terminate(request.region(), launched.instanceId());
    }
}
