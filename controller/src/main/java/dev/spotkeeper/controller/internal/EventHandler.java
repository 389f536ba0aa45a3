package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.event.SpotEvent;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Applies one event to the stored state. Events come at least once and in any order: every transition is checked
 * against the state machine, so a warning after the instance terminated, or a second "evacuated", changes
 * nothing. Side effects the event implies but that fail here (a launch that is throttled) are completed by the
 * reconciler, which sees the state the event left.
 */
public final class EventHandler {
    /** AWS's notice before a spot interruption. */
    private static final Duration WARNING_LEAD = Duration.ofMinutes(2);
    /** How far a sender's clock may run ahead of ours and its times still be believed. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    /** An evacuation deadline and, when the event's own time was not believed, what the log says about it. */
    record Deadline(Instant at, String note) {
    }

    private final Context ctx;
    private final Moves moves;
    private final AgentReports reports;
    private final FleetReconciler fleets;

    EventHandler(Context ctx, Moves moves, FleetReconciler fleets) {
        this.ctx = ctx;
        this.moves = moves;
        this.fleets = fleets;
        this.reports = new AgentReports(ctx, moves);
    }

    /** False when the event is about no instance this controller knows. */
    public boolean handle(SpotEvent event) {
        Optional<InstanceRecord> found = ctx.store.instance(event.instanceId());
        if (found.isEmpty()) {
            return false;
        }
        InstanceRecord r = found.get();
        Instant now = ctx.clock.instant();
        Optional<WorkloadRecord> fleet = fleetOf(r);
        if (fleet.isPresent()) {
            fleetEvent(r, fleet.get(), event, now);
            return true;
        }
        if (event instanceof SpotEvent.InterruptionWarning w) {
            Deadline d = w.action().equals("hibernate") ? new Deadline(now, "") : warningDeadline(w.time(), now);
            moves.warned(r, d.at(), "interruption warning (" + w.action() + ")" + d.note());
        } else if (event instanceof SpotEvent.RebalanceRecommendation) {
            moves.atRisk(r, now.plus(ctx.config.evacuationWindow()), "rebalance recommendation");
        } else if (event instanceof SpotEvent.ScheduledChange c) {
            moves.atRisk(r, now.plus(ctx.config.evacuationWindow()), "scheduled change " + c.eventTypeCode()
                    + c.startsAt().map(t -> " starting " + t).orElse(""), c.startsAt());
        } else if (event instanceof SpotEvent.LifecycleAction) {
            moves.atRisk(r, now.plus(ctx.config.evacuationWindow()), "Auto Scaling terminates it");
        } else if (event instanceof SpotEvent.StateChange s) {
            stateChange(r, s.state(), now);
        } else if (event instanceof SpotEvent.AgentReport a) {
            reports.handle(r, a, now);
        }
        return true;
    }

    /** The instance's workload when it is a fleet, as read here (the warning's detach needs no other read). */
    private Optional<WorkloadRecord> fleetOf(InstanceRecord r) {
        return ctx.store.workload(r.workload()).filter(w -> {
            try {
                return ctx.spec(w.specText()).kind() == dev.spotkeeper.core.workload.WorkloadKind.FLEET;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    /**
     * An event about one of a fleet's instances: a warning or a rebalance recommendation puts it at risk (the pass
     * that follows detaches it, or launches first); the pool of a warning is remembered and ranked last. Nothing is
     * launched or evacuated here: the group keeps the count. A warning of a member in service is detached first,
     * before any write (the group launches its replacement in that call); what it means for the records is written
     * after, and a crash in between is repaired by the pass, which sees the group's detaching member.
     */
    private void fleetEvent(InstanceRecord r, WorkloadRecord fleet, SpotEvent event, Instant now) {
        if (event instanceof SpotEvent.InterruptionWarning w) {
            if (r.interruptedAt().isPresent()) {
                return;
            }
            Optional<FleetReconciler.Detached> detached = fleets.detachFirst(r, fleet);
            ctx.rememberPool(r.workload(), r.poolKey(), now);
            ctx.records.interrupted(r.instanceId(), now);
            // Often after its rebalance recommendation, which put it at risk already: the warning is news still.
            if (ctx.records.move(r.instanceId(), InstanceState.AT_RISK, now) || r.state() == InstanceState.AT_RISK
                    || detached.isPresent()) {
                // Dated when the warning was received, which came before the detach above, though it is written after it.
                ctx.journal.note(now, r.workload(), r.instanceId(), Kind.AT_RISK, "interruption warning ("
                        + w.action() + "): detaching it, the group launches its replacement",
                        dev.spotkeeper.core.store.EventFields.NONE.withInstance(r.poolKey(), r.pricePerHour(), r.spot())
                                .withDeadline(warningDeadline(w.time(), now).at()));
                if (detached.isPresent()) {
                    fleets.detached(r.workload(), r.instanceId(), detached.get().keepCapacity(), detached.get().at(),
                            now);
                } else {
                    fleets.atRiskNow(r, true, now);
                }
            }
        } else if (event instanceof SpotEvent.RebalanceRecommendation) {
            if (ctx.records.move(r.instanceId(), InstanceState.AT_RISK, now)) {
                ctx.journal.note(r.workload(), r.instanceId(), Kind.AT_RISK, "rebalance recommendation: launching"
                        + " one more before it leaves",
                        dev.spotkeeper.core.store.EventFields.NONE.withInstance(r.poolKey(), r.pricePerHour(), r.spot()));
                fleets.atRiskNow(r, false, now);
            }
        } else if (event instanceof SpotEvent.StateChange s) {
            // A fleet's instances end for many reasons (scale-in, a detach drained): no pool is blamed for it.
            if ((s.state().equals("shutting-down") || s.state().equals("terminated"))
                    && ctx.records.move(r.instanceId(), InstanceState.TERMINATED, now)) {
                ctx.journal.note(r.workload(), r.instanceId(), Kind.TERMINATED, "instance " + s.state());
            }
        } else {
            ctx.journal.note(r.workload(), r.instanceId(), Kind.IGNORED_EVENT, event.detailType()
                    + ": the fleet's group and its termination hook take care of it");
        }
    }

    private void stateChange(InstanceRecord r, String state, Instant now) {
        switch (state) {
            case "running" -> {
                // RUNNING means the agent runs the job: the machine being up is not enough (its agent reports).
                if (r.state() == InstanceState.PENDING) {
                    ctx.journal.note(r.workload(), r.instanceId(), Kind.BOOTED, "instance up; its agent starts");
                }
            }
            case "shutting-down", "terminated" -> {
                boolean unexpected = r.state() == InstanceState.RUNNING || r.state() == InstanceState.PENDING;
                if (ctx.records.move(r.instanceId(), InstanceState.TERMINATED, now)) {
                    ctx.journal.note(r.workload(), r.instanceId(), Kind.TERMINATED, "instance " + state
                            + (unexpected ? " without warning" : ""));
                    if (unexpected && r.spot()) {
                        ctx.rememberPool(r.workload(), r.poolKey(), now);
                        ctx.records.interrupted(r.instanceId(), now);
                    }
                }
            }
            case "pending" -> {
                // The launch already made it PENDING; the event often arrives after "running" and means nothing.
            }
            default -> ctx.journal.note(r.workload(), r.instanceId(), Kind.IGNORED_EVENT, "state " + state);
        }
    }

    /**
     * The deadline of a warning dated {@code time} and received {@code now}: AWS's two minutes from when the controller
     * received it, shortened by the delivery lag when {@code time} is a little in the past. A time further from now
     * (a warning dated 2019 or 2099) is not believed: the deadline then counts from the receipt, and the note says so.
     */
    static Deadline warningDeadline(Instant time, Instant now) {
        Duration age = Duration.between(time, now);
        if (!age.isNegative() && age.compareTo(WARNING_LEAD) <= 0) {
            return new Deadline(time.plus(WARNING_LEAD), age.toSeconds() < 1 ? ""
                    : " (sent " + age.toSeconds() + " s before it was received)");
        }
        if (age.isNegative() && age.negated().compareTo(CLOCK_SKEW) <= 0) {
            return new Deadline(now.plus(WARNING_LEAD), "");
        }
        return new Deadline(now.plus(WARNING_LEAD), "; its time " + time + " is " + distance(age) + " and not believed:"
                + " the two minutes count from its receipt");
    }

    /** The deadline an agent reports it evacuates by (empty: none it could read): believed within AWS's two minutes from now, else two minutes. */
    static Deadline agentDeadline(Optional<Instant> deadline, Instant now) {
        if (deadline.isEmpty()) {
            return new Deadline(now.plus(WARNING_LEAD), "");
        }
        Instant reported = deadline.get();
        if (!reported.isBefore(now.minus(CLOCK_SKEW)) && !reported.isAfter(now.plus(WARNING_LEAD).plus(CLOCK_SKEW))) {
            return new Deadline(reported, "");
        }
        return new Deadline(now.plus(WARNING_LEAD), "; its deadline " + reported + " is "
                + distance(Duration.between(reported, now)) + " and not believed: two minutes from now instead");
    }

    /** "3 h before now" / "26298 days after now": how far a time is from now, in the largest sensible unit. */
    private static String distance(Duration age) {
        Duration d = age.abs();
        String amount = d.toDays() >= 2 ? d.toDays() + " days" : d.toHours() >= 2 ? d.toHours() + " h"
                : d.toMinutes() >= 2 ? d.toMinutes() + " min" : d.toSeconds() + " s";
        return amount + (age.isNegative() ? " after now" : " before now");
    }
}
