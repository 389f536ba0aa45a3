package dev.spotkeeper.controller;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.controller.internal.Context;
import dev.spotkeeper.controller.internal.EventHandler;
import dev.spotkeeper.controller.internal.EventTrust;
import dev.spotkeeper.controller.internal.Journal;
import dev.spotkeeper.controller.internal.Outbox;
import dev.spotkeeper.controller.internal.Reconciler;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.cloud.ObjectStores;
import dev.spotkeeper.core.cloud.QueueMessage;
import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.placement.InterruptionMemory;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.workload.WorkloadKind;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The reconciler that keeps workloads alive on spot. All state is in the {@link StateStore}; each
 * {@link #runOnce()} reads a batch of events, applies them, then reconciles every unfinished workload against the
 * cloud. It can be stopped at any moment and started again, in this process or another: the first pass of a new
 * controller searches the cloud for instances it launched but never recorded.
 */
public final class Controller implements AutoCloseable {
    private final Context ctx;
    private final EventQueuePort queue;
    /** How long the end of a pass waits for the event sinks, in all, before it returns and leaves them going. */
    static final java.time.Duration SINK_WAIT = java.time.Duration.ofSeconds(2);

    private final Journal journal;
    private final Outbox outbox;
    private final Reconciler reconciler;
    private final Inbox inbox;
    private volatile boolean scanned;
    /** How long a sweep over the workloads may go on without reading the event queue. */
    private static final java.time.Duration EVENTS_AT_LEAST_EVERY = java.time.Duration.ofSeconds(1);
    /** What the queue gave within the current {@link #runOnce()}, and when it was last read there (null outside). */
    private Inbox.Counts drained = Inbox.Counts.NONE;
    private Instant lastDrain;
    private volatile Thread runner;
    /** Workloads a command asked to have reconciled at once ({@link #reconcileSoon}), in the order asked. */
    private final java.util.concurrent.ConcurrentLinkedQueue<String> asked =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * @param market the market the controller places instances in, read on every launch
     * @param objects where the controller leaves each instance its agent spec (the workload's checkpoint bucket)
     */
    public Controller(StateStore store, ComputePort compute, EventQueuePort queue, MarketPort market,
                      ObjectStores objects, ControllerConfig config, Clock clock) {
        this.queue = requireNonNull(queue, "queue is null");
        this.outbox = new Outbox(requireNonNull(store, "store is null"), SINK_WAIT);
        this.journal = new Journal(requireNonNull(clock, "clock is null"), outbox);
        this.ctx = new Context(requireNonNull(store, "store is null"), requireNonNull(compute, "compute is null"),
                requireNonNull(market, "market is null"), requireNonNull(objects, "objects is null"),
                requireNonNull(config, "config is null"), clock, journal, InterruptionMemory.oneHour());
        this.reconciler = new Reconciler(ctx);
        EventHandler handler = reconciler.eventHandler();
        this.inbox = new Inbox(queue, ctx.store(), handler, new EventTrust(config.account()), journal, config.eventBatch(),
                config.receiveWait());
    }

    /** A sink of this controller's events from now on, called after each pass (and each command) on its own thread. */
    public void addListener(Consumer<ControllerEvent> listener) {
        journal.addListener(requireNonNull(listener, "listener is null"));
    }

    /**
     * A sink whose place in the store's outbox is kept under {@code name}: it first gets the events after that place,
     * those a previous controller wrote and never delivered included, then this controller's, after each pass.
     */
    public void addSink(String name, Consumer<ControllerEvent> sink) {
        outbox.addSink(requireNonNull(name, "name is null"), requireNonNull(sink, "sink is null"));
    }

    /** What this controller did and heard about the workload since it started. */
    public List<ControllerEvent> events(String workload) {
        return journal.of(workload);
    }

    /**
     * Stores a new workload, as its canonical JSON ({@link WorkloadSpecJson}); the next pass launches it. A finished
     * workload of the same name is submitted again (its instances and ledger stay, so generations continue); one
     * still running is refused.
     */
    public WorkloadRecord submit(WorkloadSpec spec) {
        if (spec.kind() == WorkloadKind.FLEET && !ctx.runsFleets()) {
            throw SpotkeeperException.invalidArgument("kind: fleet needs Auto Scaling and a load balancer, which this"
                    + " control plane was built without; kind: job and kind: service run here");
        }
        String specText = WorkloadSpecJson.write(spec);
        Instant now = ctx.clock().instant();
        WorkloadRecord fresh = new WorkloadRecord(spec.name(), specText, WorkloadStatus.SUBMITTED, 0, "", now, now, 0);
        if (!ctx.store().createWorkload(fresh)) {
            WorkloadRecord existing = ctx.store().workload(spec.name()).orElseThrow();
            if (!existing.status().isTerminal()) {
                throw SpotkeeperException.invalidArgument("workload '" + spec.name() + "' is already "
                        + existing.status().name().toLowerCase(java.util.Locale.ROOT)
                        + "; cancel it first or give the new one another name");
            }
            WorkloadRecord again = new WorkloadRecord(spec.name(), specText, WorkloadStatus.SUBMITTED, 0,
                    existing.lastCheckpoint(), now, now, existing.version());
            if (!ctx.store().updateWorkload(again)) {
                throw SpotkeeperException.invalidArgument("workload '" + spec.name() + "' changed while submitting; try again");
            }
        }
        journal.note(spec.name(), "", ControllerEvent.Kind.SUBMITTED, "submitted");
        outbox.deliver();
        return ctx.store().workload(spec.name()).orElseThrow();
    }

    /**
     * Gives each service a stable address through {@code addresses} (Elastic IPs): allocated for the service,
     * associated with its primary, moved after a verified hand-over, released when it ends. Without it a service
     * has no stable address.
     */
    public void useAddresses(dev.spotkeeper.core.cloud.AddressPort addresses) {
        ctx.useAddresses(requireNonNull(addresses, "addresses is null"));
    }

    /**
     * Runs fleets ({@code kind: fleet}) through {@code fleets}: an Auto Scaling group behind a load balancer each.
     * Without it a fleet is refused at submit.
     */
    public void useFleets(dev.spotkeeper.core.cloud.FleetPort fleets) {
        ctx.useFleets(requireNonNull(fleets, "fleets is null"));
    }

    /** Cancels the workload: its instances are terminated on the next pass, its checkpoints kept. */
    public boolean cancel(String name) {
        Optional<WorkloadRecord> w = ctx.store().workload(name);
        if (w.isEmpty()) {
            throw SpotkeeperException.invalidArgument("no workload named '" + name + "'");
        }
        for (int i = 0; i < 5; i++) {
            WorkloadRecord current = ctx.store().workload(name).orElseThrow();
            if (current.status().isTerminal()) {
                return false;
            }
            if (ctx.store().updateWorkload(current.with(WorkloadStatus.CANCELLED, current.progress(),
                    current.lastCheckpoint(), ctx.clock().instant()))) {
                journal.note(name, "", ControllerEvent.Kind.CANCELLED, "cancelled; checkpoints kept");
                outbox.deliver();
                return true;
            }
        }
        return false;
    }

    /** Dollars spent on the workload so far (ledger plus the running instances' unbilled time). */
    public double spent(String workload) {
        return reconciler.spent(workload);
    }

    /**
     * What the workload has run up that the ledger does not hold yet — the live instances' time since their last
     * hourly entry, the checkpoint storage since its last one — as the entries that will bill it; with the ledger,
     * the figure {@link #spent} gives.
     */
    public List<LedgerEntry> unbilled(String workload) {
        return reconciler.unbilled(workload);
    }

    /** One step: events first, then every unfinished workload (and finished ones that still hold instances). */
    public RunSummary runOnce() {
        Set<String> scan = scanOnce();
        int reconcileFailures = 0;
        if (!scanned) {
            // Adopt what a previous controller launched before reading events that may be about it.
            reconcileFailures += reconcileAll(scan);
        }
        drained = inbox.drain();
        lastDrain = ctx.clock().instant();
        reconcileFailures += reconcileAll(scan);
        if (reconcileFailures == 0) {
            scanned = true;
        }
        outbox.deliver();
        Inbox.Counts counts = drained;
        drained = Inbox.Counts.NONE;
        lastDrain = null;
        return new RunSummary(counts.messages(), counts.handled(), counts.duplicates(), counts.malformed(),
                counts.ignored(), counts.failed() + reconcileFailures);
    }

    /**
     * Between two workloads of a sweep, the events that came meanwhile once a second has passed since the queue was
     * last read: a sweep over many workloads on a slow store takes long, and an interruption warning must not wait for
     * its end (it has two minutes in all). Only within {@link #runOnce()}, whose summary counts them.
     */
    private void drainBetweenWorkloads() {
        if (lastDrain == null) {
            return;
        }
        Instant now = ctx.clock().instant();
        if (!now.isBefore(lastDrain.plus(EVENTS_AT_LEAST_EVERY))) {
            drained = drained.plus(inbox.drain());
            lastDrain = ctx.clock().instant();
        }
    }

    /**
     * The reconcile step of {@link #runOnce()} without reading events: for a function on a schedule while another
     * takes the queue's batches. Its first pass also searches the cloud for instances launched but never recorded.
     */
    public RunSummary reconcilePass() {
        Set<String> scan = scanOnce();
        int failures = reconcileAll(scan);
        if (failures == 0) {
            scanned = true;
        }
        outbox.deliver();
        return new RunSummary(0, 0, 0, 0, 0, failures);
    }

    /**
     * Handles a batch of messages that someone else received and deletes (a function's batch from the queue's event
     * source, which deletes what the function does not report failed): each message as {@link #runOnce()} would,
     * then a pass over each workload whose events were handled, then the outbox. A message is failed only when its
     * own handling failed; a malformed one is dropped (logged, never retried), a duplicate recognised by its key.
     */
    public BatchResult handle(List<QueueMessage> messages) {
        Set<String> touched = new TreeSet<>();
        List<Inbox.Outcome> outcomes = inbox.take(List.copyOf(messages), touched);
        int reconcileFailures = 0;
        for (String workload : touched) {
            try {
                reconciler.reconcile(workload, Set.of());
            } catch (RuntimeException e) {
                // The events are handled (their keys stored): the next pass completes what this one could not.
                reconcileFailures++;
                journal.note(workload, "", ControllerEvent.Kind.ERROR, "reconcile: " + e.getMessage() + "; will retry");
            }
        }
        outbox.deliver();
        Inbox.Tally tally = new Inbox.Tally();
        List<QueueMessage> failed = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            tally.add(outcomes.get(i));
            if (outcomes.get(i) == Inbox.Outcome.FAILED) {
                failed.add(messages.get(i));
            }
        }
        Inbox.Counts c = tally.counts(messages.size());
        return new BatchResult(new RunSummary(c.messages(), c.handled(), c.duplicates(), c.malformed(), c.ignored(),
                c.failed() + reconcileFailures), failed);
    }

    /** On a controller's first pass, the regions to search for orphans (after it searched them); else none. */
    private Set<String> scanOnce() {
        if (scanned) {
            return Set.of();
        }
        Set<String> scan = new TreeSet<>(ctx.config().scanRegions());
        for (WorkloadRecord w : ctx.store().workloads()) {
            for (var r : ctx.store().instances(w.name())) {
                scan.add(r.poolKey().substring(0, r.poolKey().indexOf('/')));
                ctx.recall(r);
            }
        }
        try {
            reconciler.terminateOrphans(scan);
        } catch (RuntimeException e) {
            journal.note("", "", ControllerEvent.Kind.ERROR, "searching for orphaned instances: " + e.getMessage());
        }
        return scan;
    }

    /** Reconciles every workload that may need it; returns how many failed (they are retried next pass). */
    private int reconcileAll(Set<String> scan) {
        int failed = 0;
        for (WorkloadRecord w : ctx.store().workloads()) {
            if (w.status().isTerminal() && scan.isEmpty() && reconciler.settled(w.name())) {
                continue;
            }
            try {
                reconciler.reconcile(w.name(), scan);
            } catch (RuntimeException e) {
                failed++;
                journal.note(w.name(), "", ControllerEvent.Kind.ERROR, "reconcile: " + e.getMessage() + "; will retry");
            }
            reconcileAskedWithinThePass();
            drainBetweenWorkloads();
        }
        return failed;
    }

    /**
     * Asks for a workload to be reconciled as soon as the controller's own thread can: between two workloads of the
     * pass under way, or by {@link #reconcileAsked()} between passes. For a command (a cancel) served by another
     * thread of a resident controller: what it changed is acted on within one workload's reconcile, not after the
     * rest of a sweep over every workload. Callable from any thread.
     */
    public void reconcileSoon(String workload) {
        asked.add(requireNonNull(workload, "workload is null"));
    }

    /** True when some workload waits for {@link #reconcileAsked()}. */
    public boolean hasAsked() {
        return !asked.isEmpty();
    }

    /**
     * Reconciles, on the calling thread, the workloads asked for by {@link #reconcileSoon} (each once however often
     * it was asked); true when there were any. Call it only from the thread that runs the passes.
     */
    public boolean reconcileAsked() {
        boolean any = reconcileAskedWithinThePass();
        if (any) {
            outbox.deliver();
        }
        return any;
    }

    /** {@link #reconcileAsked()} without delivering the outbox: within a pass, whose end delivers it once. */
    private boolean reconcileAskedWithinThePass() {
        Set<String> names = new java.util.LinkedHashSet<>();
        for (String name = asked.poll(); name != null; name = asked.poll()) {
            names.add(name);
        }
        names.forEach(this::reconcileOne);
        return !names.isEmpty();
    }

    /**
     * Reconciles one workload now, without reading events: for a resident controller's own thread to act at once on
     * what a command just changed (a cancel), between its passes, never at the same time as one. A failure is noted
     * and left to the next pass.
     */
    public void reconcile(String workload) {
        reconcileOne(workload);
        outbox.deliver();
    }

    private void reconcileOne(String workload) {
        try {
            reconciler.reconcile(workload, Set.of());
        } catch (RuntimeException e) {
            journal.note(workload, "", ControllerEvent.Kind.ERROR, "reconcile: " + e.getMessage() + "; will retry");
        }
    }

    /** Runs {@link #runOnce()} on a daemon thread until {@link #close()}. */
    public synchronized void start(java.time.Duration pause) {
        if (runner != null) {
            return;
        }
        Thread t = new Thread(() -> loop(pause), "spotkeeper-controller");
        t.setDaemon(true);
        runner = t;
        t.start();
    }

    private void loop(java.time.Duration pause) {
        while (runner == Thread.currentThread()) {
            try {
                runOnce();
            } catch (RuntimeException e) {
                journal.note("", "", ControllerEvent.Kind.ERROR, "controller pass failed: " + e.getMessage());
                outbox.deliver();
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = runner;
            runner = null;
        }
        if (t != null) {
            journal.stopping();
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        outbox.deliver();
        outbox.close();
    }
}
