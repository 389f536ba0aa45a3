package dev.spotkeeper.cli.job;

import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.cloud.FaultInjectionPort;
import dev.spotkeeper.core.cloud.ObjectStores;
import dev.spotkeeper.core.cloud.SecretStorePort;
import dev.spotkeeper.core.cloud.TopicPort;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.store.StateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** Where jobs run: the ports the controller needs, wired to AWS or to the local emulator. */
public interface JobBackend extends AutoCloseable {
    /** One line for people: "local emulator at http://127.0.0.1:4566", "AWS profile prod, us-east-1". */
    String description();

    StateStore store();

    ComputePort compute();

    EventQueuePort queue();

    MarketPort market();

    /** Object storage by bucket, where the controller leaves each instance its agent spec. */
    ObjectStores objects();

    ControllerConfig config();

    Clock clock();

    /**
     * True when a resident controller (the local control plane) runs this backend's jobs: a command must then
     * not run controller passes of its own, since two controllers on one queue would split its events.
     */
    default boolean resident() {
        return false;
    }

    /** The file the resident controller appends its events to, one line each, for commands to follow. */
    default Optional<Path> journal() {
        return Optional.empty();
    }

    /**
     * The market a submitted workload will be placed in, so that requirements no pool of it meets are refused at
     * submit; empty when this backend cannot tell.
     */
    default Optional<MarketSnapshot> submitMarket() {
        return Optional.empty();
    }

    /** The account of the control plane (its event queue's), when known. */
    default Optional<String> accountId() {
        return Optional.empty();
    }

    /** The region of the control plane, when known. */
    default Optional<String> region() {
        return Optional.empty();
    }

    /**
     * Where the checkpoints of a workload that names no {@code buckets.checkpoints} go ({@code s3://bucket}, the
     * workload's name below it); empty where the user must choose (AWS: a bucket of the user's own account).
     */
    default Optional<String> defaultCheckpoints() {
        return Optional.empty();
    }

    /** SNS where the workloads run, for notifications' {@code sns} sink; empty when this backend has none. */
    default Optional<TopicPort> topics() {
        return Optional.empty();
    }

    /** Secrets Manager, for notifications' {@code secret:NAME} references; empty when this backend has none. */
    default Optional<SecretStorePort> secrets() {
        return Optional.empty();
    }

    /** Elastic IPs where the workloads run: a service's stable endpoint; empty when this backend has none. */
    default Optional<dev.spotkeeper.core.cloud.AddressPort> addresses() {
        return Optional.empty();
    }

    /** Auto Scaling groups behind load balancers where the workloads run: a fleet's; empty when none. */
    default Optional<dev.spotkeeper.core.cloud.FleetPort> fleets() {
        return Optional.empty();
    }

    /**
     * The URL a fleet's load balancer answers on (its listener on port 80): on AWS its DNS name; the emulator in this
     * process says which loopback port its HAProxy listens on.
     */
    default String loadBalancerUrl(String loadBalancerArn, String dnsName) {
        return "http://" + dnsName + "/";
    }

    /** The secret store a service's agent keeps its passwords in (Secrets Manager, the emulator's locally). */
    default Optional<SecretStorePort> databaseSecrets() {
        return Optional.empty();
    }

    /** Fault injection (FIS) where the workloads run, for {@code spotkeeper chaos}. */
    default FaultInjectionPort faultInjection() {
        throw SpotkeeperException.invalidArgument(description() + " has no fault injection service");
    }

    /**
     * Where this backend says what the command's user must know but did not ask (the market falling back to the
     * shipped snapshot, one line); standard error until a command gives its own.
     */
    default void warnings(java.util.function.Consumer<String> sink) {
    }

    /** Asks a resident controller to reconcile the workload now rather than at its next pass (cancel does). */
    default void reconcileSoon(String workload) {
    }

    /** Makes ready what the workload needs before its first launch (the emulator creates its buckets). */
    default void prepare(dev.spotkeeper.core.workload.WorkloadSpec spec) {
    }

    @Override
    void close();
}
