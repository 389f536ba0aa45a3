package dev.spotkeeper.emulator.services.fis;

import dev.spotkeeper.emulator.services.fis.Experiment.ActionState;
import dev.spotkeeper.emulator.services.fis.ExperimentTemplate.Action;
import dev.spotkeeper.emulator.spi.InstanceControl;
import dev.spotkeeper.emulator.spi.InstanceControl.InstanceView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Templates and experiments. An experiment is {@code initiating} when StartExperiment answers, resolves its
 * targets, calls {@link InstanceControl#interrupt} (or {@link InstanceControl#terminate}) for each chosen instance
 * and is {@code running} until every such instance has left the running states ({@code completed}), it is
 * stopped, or something failed.
 */
final class FisService implements AutoCloseable {
    private static final Set<String> ALIVE = Set.of("pending", "running", "stopping");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** How long past its duration an action may wait for EC2 to terminate its instances. */
    private static final Duration GRACE = Duration.ofMinutes(1);

    private final Clock clock;
    private final Random random;
    private final Supplier<Optional<InstanceControl>> control;
    private final Map<String, ExperimentTemplate> templates = new LinkedHashMap<>();
    private final Map<String, Experiment> experiments = new LinkedHashMap<>();
    private final Map<String, Instant> deadlines = new LinkedHashMap<>();
    /** StartExperiment is idempotent per client token, so an SDK retry does not interrupt twice. */
    private final Map<String, String> experimentByClientToken = new LinkedHashMap<>();
    private final ScheduledExecutorService scheduler;

    FisService(Clock clock, long seed, Supplier<Optional<InstanceControl>> control) {
        this.clock = clock;
        this.random = new Random(seed);
        this.control = control;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "emulator-fis");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::watchRunning, 200, 200, TimeUnit.MILLISECONDS);
    }

    synchronized ExperimentTemplate createTemplate(Map<String, Object> body) {
        ExperimentTemplate template = TemplateParser.parse(newId("EXT"), body, clock.instant());
        templates.put(template.id(), template);
        return template;
    }

    synchronized ExperimentTemplate template(String id) {
        ExperimentTemplate template = templates.get(id);
        if (template == null) {
            throw FisException.notFound("Experiment template not found: " + id);
        }
        return template;
    }

    synchronized List<ExperimentTemplate> templates() {
        return List.copyOf(templates.values());
    }

    synchronized ExperimentTemplate deleteTemplate(String id) {
        ExperimentTemplate template = template(id);
        templates.remove(id);
        return template;
    }

    synchronized Experiment start(Map<String, Object> body) {
        String templateId = JsonFields.string(body, "experimentTemplateId", null);
        if (templateId == null) {
            throw FisException.validation("StartExperiment needs experimentTemplateId");
        }
        String clientToken = JsonFields.string(body, "clientToken", null);
        if (clientToken != null && experimentByClientToken.containsKey(clientToken)) {
            return experiments.get(experimentByClientToken.get(clientToken));
        }
        Experiment experiment = new Experiment(newId("EXP"), template(templateId), JsonFields.stringMap(body, "tags"),
                clock.instant());
        experiments.put(experiment.id, experiment);
        if (clientToken != null) {
            experimentByClientToken.put(clientToken, experiment.id);
        }
        scheduler.execute(() -> runSafely(experiment));
        return experiment;
    }

    synchronized Experiment experiment(String id) {
        Experiment experiment = experiments.get(id);
        if (experiment == null) {
            throw FisException.notFound("Experiment not found: " + id);
        }
        return experiment;
    }

    synchronized List<Experiment> experiments() {
        return List.copyOf(experiments.values());
    }

    Experiment stop(String id) {
        Experiment experiment = experiment(id);
        synchronized (experiment) {
            if (!experiment.isFinal() && !experiment.status.equals("stopping")) {
                experiment.status = "stopping";
                experiment.reason = "Experiment is stopping.";
                scheduler.execute(() -> experiment.finish("stopped", "Experiment stopped.", clock.instant()));
            }
        }
        return experiment;
    }

    /** A failure inside EC2 must end the experiment, not leave it initiating for ever. */
    private void runSafely(Experiment experiment) {
        try {
            run(experiment);
        } catch (RuntimeException e) {
            experiment.finish("failed", "The emulated EC2 failed to interrupt: " + e.getMessage(), clock.instant());
        }
    }

    private void run(Experiment experiment) {
        Optional<InstanceControl> ec2 = control.get();
        if (ec2.isEmpty()) {
            experiment.finish("failed", "This emulator runs no EC2 instances to interrupt.", clock.instant());
            return;
        }
        List<InstanceView> instances = ec2.get().instances();
        Map<String, List<String>> chosen = new LinkedHashMap<>();
        for (Map.Entry<String, Action> entry : experiment.template.actions().entrySet()) {
            String targetName = TemplateParser.targetOf(entry.getValue());
            var target = experiment.template.targets().get(targetName);
            boolean interruption = entry.getValue().actionId().equals(TemplateParser.SPOT_INTERRUPTION);
            // Spot interruptions reach running instances only: without a State.Name filter they are chosen among those.
            List<String> ids = chosen.computeIfAbsent(targetName, n -> resolve(target, interruption
                    ? instances.stream().filter(i -> i.state().equals("running")).toList() : instances));
            if (ids.isEmpty()) {
                experiment.finish("failed", "Target resolution returned no " + (interruption ? "running spot instances"
                        : "instances") + " for target '" + targetName + "'.", clock.instant());
                return;
            }
            if (interruption && ids.size() > TemplateParser.MAX_INSTANCES) {
                experiment.finish("failed", "Target '" + targetName + "' resolved to " + ids.size() + " instances; "
                        + TemplateParser.SPOT_INTERRUPTION + " interrupts at most " + TemplateParser.MAX_INSTANCES
                        + ". Narrow it with COUNT(n), tags or filters.", clock.instant());
                return;
            }
        }
        interruptAll(experiment, ec2.get(), chosen);
    }

    private List<String> resolve(ExperimentTemplate.Target target, List<InstanceView> instances) {
        synchronized (random) {
            return TargetResolver.resolve(target, instances, random);
        }
    }

    private void interruptAll(Experiment experiment, InstanceControl ec2, Map<String, List<String>> chosen) {
        Instant now = clock.instant();
        Duration longest = Duration.ZERO;
        synchronized (experiment) {
            if (experiment.isFinal() || experiment.status.equals("stopping")) {
                return;
            }
            experiment.resolvedTargets.putAll(chosen);
            experiment.status = "running";
            experiment.reason = "Experiment is running.";
            experiment.startTime = now;
        }
        for (Map.Entry<String, Action> entry : experiment.template.actions().entrySet()) {
            Duration duration = TemplateParser.durationOf(entry.getValue().parameters());
            longest = duration.compareTo(longest) > 0 ? duration : longest;
            List<String> ids = chosen.get(TemplateParser.targetOf(entry.getValue()));
            boolean interruption = entry.getValue().actionId().equals(TemplateParser.SPOT_INTERRUPTION);
            ActionState state;
            synchronized (experiment) {
                state = experiment.actions.get(entry.getKey());
                state.status = "running";
                state.reason = "Action is running.";
                state.startTime = now;
                state.instanceIds = List.copyOf(ids);
            }
            for (String id : ids) {
                if (interruption ? !ec2.interrupt(id, duration) : !ec2.terminate(id)) {
                    experiment.finish("failed", "Instance " + id + " is not a running " + (interruption ? "spot " : "")
                            + "instance any more.", clock.instant());
                    return;
                }
            }
        }
        synchronized (this) {
            deadlines.put(experiment.id, now.plus(longest).plus(GRACE));
        }
    }

    /** Completes running experiments whose interrupted instances have all gone. */
    private void watchRunning() {
        try {
            completeFinishedExperiments();
        } catch (RuntimeException e) {
            // keep watching: a scheduled task that throws is never run again
        }
    }

    private void completeFinishedExperiments() {
        List<Experiment> running = new ArrayList<>();
        synchronized (this) {
            for (Experiment e : experiments.values()) {
                if (deadlines.containsKey(e.id)) {
                    running.add(e);
                }
            }
        }
        if (running.isEmpty()) {
            return;
        }
        Optional<InstanceControl> ec2 = control.get();
        Map<String, String> states = new LinkedHashMap<>();
        ec2.ifPresent(c -> c.instances().forEach(i -> states.put(i.instanceId(), i.state())));
        Instant now = clock.instant();
        for (Experiment experiment : running) {
            Instant deadline;
            synchronized (this) {
                deadline = deadlines.get(experiment.id);
            }
            synchronized (experiment) {
                boolean allGone = experiment.actions.values().stream().flatMap(a -> a.instanceIds.stream())
                        .noneMatch(id -> ALIVE.contains(states.getOrDefault(id, "terminated")));
                if (!experiment.isFinal() && experiment.status.equals("running") && (allGone || !now.isBefore(deadline))) {
                    experiment.finish("completed", "Experiment completed.", now);
                }
                if (experiment.isFinal()) {
                    synchronized (this) {
                        deadlines.remove(experiment.id);
                    }
                }
            }
        }
    }

    private String newId(String prefix) {
        StringBuilder sb = new StringBuilder(prefix);
        synchronized (random) {
            for (int i = 0; i < 14; i++) {
                sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
