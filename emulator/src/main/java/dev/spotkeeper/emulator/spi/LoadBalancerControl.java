package dev.spotkeeper.emulator.spi;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What other emulator parts (Auto Scaling, the CLI, tests) may see and do to the emulated load balancers: register
 * a group's instances with its target groups, and find where a listener really listens on 127.0.0.1.
 */
public interface LoadBalancerControl {
    boolean targetGroupExists(String targetGroupArn);

    /** Registers instances at the target group's port, as RegisterTargets does. */
    void register(String targetGroupArn, List<String> instanceIds);

    /** Deregisters instances (they drain for the group's deregistration delay), as DeregisterTargets does. */
    void deregister(String targetGroupArn, List<String> instanceIds);

    /** Instance id → target state ({@code initial}, {@code healthy}, {@code unhealthy}, {@code draining}, {@code unused}). */
    Map<String, String> targetStates(String targetGroupArn);

    /**
     * {@code http://127.0.0.1:HOSTPORT} where the load balancer's listener on {@code port} is served by its HAProxy;
     * empty when there is no such listener.
     */
    Optional<URI> listenerEndpoint(String loadBalancerArn, int port);
}
