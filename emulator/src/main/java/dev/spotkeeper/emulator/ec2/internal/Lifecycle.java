package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.emulator.EmulatorCredentials;
import dev.spotkeeper.emulator.spi.CloudEventSink;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Moves instances through their lives: boot (IMDS, then the user-data process), interruption (rebalance
 * recommendation, warning, termination) and termination (the whole process tree), publishing the EventBridge
 * events AWS would publish at each step, each instance's in the order its changes happened ({@link InstanceEvents}).
 */
public final class Lifecycle {
    public static final String ACCOUNT_ID = "000000000000";
    private static final String STATE_CHANGE = "EC2 Instance State-change Notification";
    private static final Duration TWO_MINUTES = Duration.ofMinutes(2);

    private final Timers timers;
    private final Supplier<CloudEventSink> sink;
    private final ExecutorService workers;
    private final URI edge;
    private final EmulatorCredentials credentials;
    private final Map<String, SpotRequest> spotRequests;
    private final InstanceRecords records;
    private final boolean models;

    Lifecycle(Timers timers, Supplier<CloudEventSink> sink, ExecutorService workers, URI edge,
              EmulatorCredentials credentials, Map<String, SpotRequest> spotRequests, InstanceRecords records,
              boolean models) {
        this.models = models;
        this.timers = timers;
        this.sink = sink;
        this.workers = workers;
        this.edge = edge;
        this.credentials = credentials;
        this.spotRequests = spotRequests;
        this.records = records;
    }

    /** Raises the instance's pending event; called before the instance is visible to anyone. */
    void created(EmulatedInstance instance) {
        synchronized (instance) {
            raise(instance, STATE_CHANGE, stateDetail(instance, InstanceState.PENDING));
        }
    }

    void launched(EmulatedInstance instance, Duration bootDelay) {
        records.write(instance, null);
        deliver(instance);
        timers.after(bootDelay, () -> workers.execute(() -> boot(instance)));
    }

    private void boot(EmulatedInstance instance) {
        if (instance.state() != InstanceState.PENDING) {
            return;
        }
        if (models) {
            // A model instance: running, with neither IMDS nor a process (its user data is not run).
            if (advance(instance, InstanceState.RUNNING, null, null)) {
                deliver(instance);
            }
            return;
        }
        try {
            Files.createDirectories(instance.workDirectory);
            Files.writeString(instance.workDirectory.resolve(InstanceProcess.CONSOLE), "", StandardCharsets.UTF_8);
            // IMDS answers before the state says running, so nobody who saw "running" finds it missing
            instance.imds = new ImdsServer(timers.clock(), new ImdsPaths(instance, ACCOUNT_ID),
                    instance.spec.httpTokens().equals("required"), workers);
        } catch (IOException | RuntimeException e) {
            appendConsole(instance, "spotkeeper emulator: could not start IMDS: " + e.getMessage() + "\n");
        }
        if (!advance(instance, InstanceState.RUNNING, null, null)) {
            return;
        }
        String script = script(instance.spec.userData());
        if (script != null && instance.imds != null) {
            try {
                instance.process = InstanceProcess.start(instance.workDirectory, script, environment(instance));
                records.write(instance, instance.process);
            } catch (IOException | RuntimeException e) {
                appendConsole(instance, "spotkeeper emulator: could not run the user data: " + e.getMessage() + "\n");
            }
            if (!instance.state().isLive() && instance.process != null) {
                // terminated while the process started: the terminator may have missed it
                instance.process.destroyTree();
            }
        }
        // Raised with the move to running; delivered once the user data runs (unless a later change did it).
        deliver(instance);
    }

    private static String script(String userData) {
        if (userData == null || userData.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getMimeDecoder().decode(userData), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return userData;
        }
    }

    private Map<String, String> environment(EmulatedInstance instance) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", instance.imds.endpoint().toString());
        env.put("AWS_ENDPOINT_URL", edge.toString());
        env.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        env.put("AWS_REGION", instance.zone.region());
        env.put("AWS_DEFAULT_REGION", instance.zone.region());
        env.put("SPOTKEEPER_INSTANCE_ID", instance.id);
        return env;
    }

    private static void appendConsole(EmulatedInstance instance, String text) {
        try {
            Files.createDirectories(instance.workDirectory);
            Files.writeString(instance.workDirectory.resolve(InstanceProcess.CONSOLE), text, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the console is best effort; the instance's state is what callers rely on
        }
    }

    /**
     * Interrupts a live spot instance: the rebalance recommendation now, the warning {@code before − 2 min}
     * from now (now when shorter), termination after {@code before}. False when the instance is not live or
     * already being interrupted.
     */
    boolean interrupt(EmulatedInstance instance, Duration before, String spotStatus, String reason) {
        if (!instance.spot() || !instance.claimInterruption()) {
            return false;
        }
        Instant now = timers.now();
        Instant terminateAt = now.plus(before);
        Instant warnAt = before.compareTo(TWO_MINUTES) > 0 ? terminateAt.minus(TWO_MINUTES) : now;
        synchronized (instance) {
            instance.rebalanceNotice(now);
            raise(instance, "EC2 Instance Rebalance Recommendation", Map.of("instance-id", instance.id));
        }
        deliver(instance);
        Runnable warn = () -> warn(instance, terminateAt);
        if (warnAt.equals(now)) {
            warn.run();
        } else {
            timers.schedule(warnAt, warn);
        }
        timers.schedule(terminateAt, () -> terminate(instance, "Server.SpotInstanceTermination",
                "Server.SpotInstanceTermination: " + reason, "closed", spotStatus));
        return true;
    }

    private void warn(EmulatedInstance instance, Instant terminateAt) {
        synchronized (instance) {
            if (!instance.state().isLive()) {
                return;
            }
            instance.warn(terminateAt);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("instance-id", instance.id);
            detail.put("instance-action", "terminate");
            raise(instance, "EC2 Spot Instance Interruption Warning", detail);
        }
        SpotRequest r = instance.spotRequestId == null ? null : spotRequests.get(instance.spotRequestId);
        if (r != null) {
            r.status(null, "marked-for-termination", "Your Spot Instance is marked for termination.", timers.now());
        }
        deliver(instance);
    }

    /** Shuts the instance down: state shutting-down now, its processes ended, then terminated. */
    void terminate(EmulatedInstance instance, String reasonCode, String reasonMessage, String spotState,
                   String spotStatus) {
        if (!advance(instance, InstanceState.SHUTTING_DOWN, reasonCode, reasonMessage)) {
            return;
        }
        SpotRequest r = instance.spotRequestId == null ? null : spotRequests.get(instance.spotRequestId);
        if (r != null) {
            synchronized (r) {
                if (!r.state.equals("cancelled")) {
                    r.status(spotState, spotStatus, message(spotStatus), timers.now());
                }
            }
        }
        deliver(instance);
        workers.execute(() -> {
            InstanceProcess p = instance.process;
            if (p != null) {
                p.destroyTree();
            }
            ImdsServer imds = instance.imds;
            if (imds != null) {
                imds.close();
            }
            advance(instance, InstanceState.TERMINATED, null, null);
            deliver(instance);
        });
    }

    /**
     * Carries out what instances asked for with their own {@code shutdown}, {@code poweroff}, {@code halt} or
     * {@code reboot} ({@link PowerCommands}); called on every timer tick.
     */
    void powerRequests(List<EmulatedInstance> instances) {
        for (EmulatedInstance instance : instances) {
            InstanceProcess p = instance.process;
            if (p == null || instance.state() != InstanceState.RUNNING) {
                continue;
            }
            PowerCommands.take(instance.workDirectory).ifPresent(request -> {
                switch (request) {
                    case HALT -> {
                        appendConsole(instance, "spotkeeper emulator: shutdown from inside the instance: terminating it\n");
                        terminate(instance, "Client.InstanceInitiatedShutdown",
                                "Client.InstanceInitiatedShutdown: Instance initiated shutdown", "closed",
                                "instance-terminated-by-user");
                    }
                    case REBOOT -> {
                        appendConsole(instance, "spotkeeper emulator: reboot from inside the instance: its processes"
                                + " end; user data ran at first boot and does not run again\n");
                        workers.execute(p::destroyTree);
                    }
                }
            });
        }
    }

    /** Moves the instance on and raises its state-change event in one step, so events keep the order of changes. */
    private boolean advance(EmulatedInstance instance, InstanceState next, String reasonCode, String reasonMessage) {
        synchronized (instance) {
            if (!instance.moveTo(next, reasonCode, reasonMessage)) {
                return false;
            }
            raise(instance, STATE_CHANGE, stateDetail(instance, next));
            return true;
        }
    }

    private static String message(String spotStatus) {
        return switch (spotStatus) {
            case "instance-terminated-by-price" -> "Your Spot Instance was terminated because the Spot price rose above your maximum price.";
            case "instance-terminated-no-capacity" -> "Your Spot Instance was terminated because there is no Spot capacity available that matches your request.";
            case "instance-terminated-by-experiment" -> "Your Spot Instance was terminated by a fault injection experiment.";
            case "instance-terminated-by-user" -> "Your Spot Instance was terminated by a user request.";
            default -> spotStatus;
        };
    }

    /** The state change to terminated of an instance that ended while no emulator ran. */
    void announceTerminated(EmulatedInstance instance) {
        synchronized (instance) {
            raise(instance, STATE_CHANGE, stateDetail(instance, InstanceState.TERMINATED));
        }
        deliver(instance);
    }

    private static Map<String, Object> stateDetail(EmulatedInstance instance, InstanceState state) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("instance-id", instance.id);
        detail.put("state", state.awsName());
        return detail;
    }

    /** Call holding the instance's lock, with the change the event reports. */
    private void raise(EmulatedInstance instance, String detailType, Map<String, Object> detail) {
        String arn = "arn:aws:ec2:" + instance.zone.region() + ":" + ACCOUNT_ID + ":instance/" + instance.id;
        instance.events.raise(new InstanceEvents.Event(detailType, detail, List.of(arn), timers.now()));
    }

    /** Call without the instance's lock: delivery waits on the queue. */
    private void deliver(EmulatedInstance instance) {
        instance.events.deliver(e -> {
            try {
                sink.get().publish("aws.ec2", e.detailType(), instance.zone.region(), e.time(), e.resources(),
                        e.detail());
            } catch (RuntimeException ignored) {
                // a broken event consumer must not stop the instance's lifecycle
            }
        });
    }
}
