package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.emulator.market.AzNames;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One emulated instance. Its mutable state is guarded by the instance's own monitor; the lifecycle moves it
 * pending → running → shutting-down → terminated and never back.
 */
public final class EmulatedInstance {
    final String id;
    final String reservationId;
    final LaunchSpec spec;
    final AzNames.Zone zone;
    final String privateIp;
    final Instant launchTime;
    final String spotRequestId;
    final Path workDirectory;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private InstanceState state = InstanceState.PENDING;
    private String stateReasonCode;
    private String stateReasonMessage;
    private Instant rebalanceNotice;
    private Instant terminationTime;
    private boolean interruptionPending;
    volatile InstanceProcess process;
    volatile ImdsServer imds;
    /** Its events, raised under this instance's lock with the change they report. */
    final InstanceEvents events = new InstanceEvents();
    /** Where each of its ports is reachable on this machine (all instances share 127.0.0.1), given out on first ask. */
    private final Map<Integer, Integer> hostPorts = new java.util.HashMap<>();

    EmulatedInstance(String id, String reservationId, LaunchSpec spec, AzNames.Zone zone, String privateIp,
                     Instant launchTime, String spotRequestId, Path workDirectory) {
        this.id = id;
        this.reservationId = reservationId;
        this.spec = spec;
        this.zone = zone;
        this.privateIp = privateIp;
        this.launchTime = launchTime;
        this.spotRequestId = spotRequestId;
        this.workDirectory = workDirectory;
        this.tags.putAll(spec.tags());
    }

    public String id() {
        return id;
    }

    /**
     * The port of this machine's 127.0.0.1 that stands for the instance's own {@code port}: emulated instances share
     * one address, so each gets ports of its own, chosen free when first asked for and then kept for its life.
     */
    synchronized int hostPort(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        return hostPorts.computeIfAbsent(port, p -> freeLoopbackPort());
    }

    private static int freeLoopbackPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    public synchronized InstanceState state() {
        return state;
    }

    /** Moves forward only; returns false when the instance is already at or past {@code next}. */
    synchronized boolean moveTo(InstanceState next, String reasonCode, String reasonMessage) {
        if (next.ordinal() <= state.ordinal()) {
            return false;
        }
        state = next;
        if (reasonCode != null) {
            stateReasonCode = reasonCode;
            stateReasonMessage = reasonMessage;
        }
        return true;
    }

    synchronized String stateReasonCode() {
        return stateReasonCode;
    }

    synchronized String stateReasonMessage() {
        return stateReasonMessage;
    }

    public synchronized Map<String, String> tags() {
        return Map.copyOf(tags);
    }

    synchronized void tag(String key, String value) {
        tags.put(key, value == null ? "" : value);
    }

    synchronized void untag(String key, String value) {
        if (value == null || value.equals(tags.get(key))) {
            tags.remove(key);
        }
    }

    /** Claims the right to interrupt this instance once; false when it is not live or already interrupted. */
    synchronized boolean claimInterruption() {
        if (!state.isLive() || interruptionPending) {
            return false;
        }
        interruptionPending = true;
        return true;
    }

    synchronized void rebalanceNotice(Instant time) {
        rebalanceNotice = time;
    }

    synchronized Instant rebalanceNotice() {
        return rebalanceNotice;
    }

    /** The termination time announced by the interruption warning, null while no warning is pending. */
    synchronized Instant terminationTime() {
        return terminationTime;
    }

    synchronized void warn(Instant terminateAt) {
        terminationTime = terminateAt;
    }

    public String instanceType() {
        return spec.type().name();
    }

    public boolean spot() {
        return spec.spot();
    }
}
