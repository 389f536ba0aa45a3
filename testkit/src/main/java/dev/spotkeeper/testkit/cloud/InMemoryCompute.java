package dev.spotkeeper.testkit.cloud;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.LaunchRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link ComputePort} in memory that behaves as EC2 does where the controller depends on it: a launch with a
 * client token seen before returns the same instance (even a terminated one), {@code find} never lists terminated
 * instances, terminating twice is fine. Failure modes: a pool without capacity, throttling, and a launch that
 * succeeds in the cloud but throws to the caller (a lost response), the case client tokens exist for.
 */
public final class InMemoryCompute implements ComputePort {
    private final Clock clock;
    private final Map<String, CloudInstance> instances = new LinkedHashMap<>();
    private final Map<String, String> byToken = new HashMap<>();
    private final Map<String, LaunchRequest> requests = new HashMap<>();
    private final Set<String> poolsWithoutCapacity = new HashSet<>();
    private final List<LaunchRequest> launchCalls = new ArrayList<>();
    private final Map<String, StringBuilder> consoles = new HashMap<>();
    private int nextId = 1;
    private boolean throttled;
    private int loseNextResponses;

    public InMemoryCompute(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Launches into {@code region/zone/type} fail with INSUFFICIENT_CAPACITY until restored. */
    public synchronized void removeCapacity(String poolKey) {
        poolsWithoutCapacity.add(poolKey);
    }

    public synchronized void restoreCapacity(String poolKey) {
        poolsWithoutCapacity.remove(poolKey);
    }

    /** While throttled every call throws THROTTLED, as EC2's RequestLimitExceeded. */
    public synchronized void setThrottled(boolean throttled) {
        this.throttled = throttled;
    }

    /** The next {@code n} launches create their instance but throw to the caller, as a timed-out response. */
    public synchronized void loseNextLaunchResponses(int n) {
        this.loseNextResponses = n;
    }

    @Override
    public synchronized CloudInstance launch(LaunchRequest request) {
        checkThrottle();
        launchCalls.add(request);
        String existing = byToken.get(request.clientToken());
        if (existing != null) {
            return instances.get(existing);
        }
        String pool = request.region() + "/" + request.availabilityZone() + "/" + request.instanceType();
        if (poolsWithoutCapacity.contains(pool)) {
            throw SpotkeeperException.of(ErrorCode.INSUFFICIENT_CAPACITY,
                    "We currently do not have sufficient " + request.instanceType() + " capacity in "
                            + request.availabilityZone());
        }
        String id = String.format("i-%017x", nextId++);
        CloudInstance instance = new CloudInstance(id, request.region(), request.availabilityZone(),
                request.instanceType(), request.spot(), "pending", clock.instant(), request.tags());
        instances.put(id, instance);
        byToken.put(request.clientToken(), id);
        requests.put(id, request);
        consoles.put(id, new StringBuilder(echoes(request.userData())));
        if (loseNextResponses > 0) {
            loseNextResponses--;
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "connection reset while waiting for RunInstances");
        }
        return instance;
    }

    @Override
    public synchronized List<CloudInstance> find(String region, Map<String, String> tags) {
        checkThrottle();
        List<CloudInstance> out = new ArrayList<>();
        for (CloudInstance i : instances.values()) {
            if (i.region().equals(region) && !i.state().equals("terminated")
                    && i.tags().entrySet().containsAll(tags.entrySet())) {
                out.add(i);
            }
        }
        return out;
    }

    @Override
    public synchronized void tag(String region, String instanceId, Map<String, String> tags) {
        checkThrottle();
        CloudInstance i = require(instanceId);
        Map<String, String> merged = new HashMap<>(i.tags());
        merged.putAll(tags);
        instances.put(instanceId, copy(i, i.state(), merged));
    }

    @Override
    public synchronized void terminate(String region, String instanceId) {
        checkThrottle();
        CloudInstance i = instances.get(instanceId);
        if (i != null) {
            instances.put(instanceId, copy(i, "terminated", i.tags()));
        }
    }

    @Override
    public synchronized String consoleOutput(String region, String instanceId) {
        require(instanceId);
        return consoles.get(instanceId).toString();
    }

    /** Adds to an instance's console output, as its agent and job would print. */
    public synchronized void appendConsole(String instanceId, String text) {
        require(instanceId);
        consoles.get(instanceId).append(text);
    }

    /** Nothing runs here; the {@code echo} lines of the user data stand for what it would have printed. */
    private static String echoes(String userData) {
        StringBuilder out = new StringBuilder();
        for (String line : userData.split("\n")) {
            if (line.startsWith("echo ")) {
                out.append(line.substring(5)).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * An instance something else launched (an Auto Scaling group, as EC2 lists it once it knows it): running since
     * now, in {@code poolKey} (region/zone/type), bought as spot or on demand.
     */
    public synchronized CloudInstance add(String instanceId, String poolKey, boolean spot, Map<String, String> tags) {
        String[] p = poolKey.split("/");
        CloudInstance i = new CloudInstance(instanceId, p[0], p[1], p[2], spot, "running", clock.instant(), tags);
        instances.put(instanceId, i);
        consoles.put(instanceId, new StringBuilder());
        return i;
    }

    /** Moves an instance to an EC2 state (running, shutting-down, terminated, …) as the cloud would on its own. */
    public synchronized void setState(String instanceId, String state) {
        CloudInstance i = require(instanceId);
        instances.put(instanceId, copy(i, state, i.tags()));
    }

    public synchronized CloudInstance instance(String instanceId) {
        return require(instanceId);
    }

    /** Every instance ever launched, terminated ones included, in launch order. */
    public synchronized List<CloudInstance> all() {
        return List.copyOf(instances.values());
    }

    /** Instances not terminated (shutting-down counts as alive until it is gone). */
    public synchronized List<CloudInstance> alive() {
        return instances.values().stream().filter(i -> !i.state().equals("terminated")).toList();
    }

    public synchronized List<LaunchRequest> launchCalls() {
        return List.copyOf(launchCalls);
    }

    public synchronized LaunchRequest requestOf(String instanceId) {
        return requests.get(instanceId);
    }

    private CloudInstance require(String instanceId) {
        CloudInstance i = instances.get(instanceId);
        if (i == null) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT,
                    "The instance ID '" + instanceId + "' does not exist");
        }
        return i;
    }

    private void checkThrottle() {
        if (throttled) {
            throw SpotkeeperException.of(ErrorCode.THROTTLED, "Request limit exceeded (failure mode)");
        }
    }

    private static CloudInstance copy(CloudInstance i, String state, Map<String, String> tags) {
        return new CloudInstance(i.instanceId(), i.region(), i.availabilityZone(), i.instanceType(), i.spot(), state,
                i.launchTime(), tags);
    }
}
