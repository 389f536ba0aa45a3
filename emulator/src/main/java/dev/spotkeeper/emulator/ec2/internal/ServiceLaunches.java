package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.emulator.spi.InstanceLauncher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link InstanceLauncher} over the same launch path as RunInstances. */
public final class ServiceLaunches implements InstanceLauncher {
    private final Ec2Backend backend;
    private final InstanceActions actions;

    public ServiceLaunches(Ec2Backend backend) {
        this.backend = backend;
        this.actions = new InstanceActions(backend);
    }

    @Override
    public String launch(String region, Map<String, String> runInstances, Map<String, String> awsTags) {
        try {
            LaunchSpec spec = actions.spec(new QueryParams(runInstances), region);
            Map<String, String> tags = new LinkedHashMap<>(spec.tags());
            tags.putAll(awsTags);
            List<EmulatedInstance> launched = backend.launch(spec.withTags(tags), 1, backend.newId("r"));
            return launched.get(0).id;
        } catch (Ec2Error e) {
            throw new LaunchRefused(e.code(), e.getMessage());
        }
    }
}
