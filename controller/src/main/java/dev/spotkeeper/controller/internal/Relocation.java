package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.market.PoolSignals;
import dev.spotkeeper.core.store.EventFields;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.workload.RelocationSpec;
import dev.spotkeeper.core.workload.WorkloadKind;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Proactive relocation: when the instance has been on its pool for {@code relocation.every} and the best pool is
 * cheaper by at least {@code minGain}, ask the agent to evacuate (with a deadline of our choosing) and launch in
 * the better pool once the checkpoint is committed. It never fakes an interruption, so it leaves no trace in the
 * memory of interrupting pools and cannot trigger itself; after a move the new pool is the best one, so the gain
 * is zero and it does not move back and forth. A service's replacement is launched before the hand-over is asked for.
 */
final class Relocation {
    /** The reason code of a relocation's event: a cheaper pool. */
    static final String REASON = "cheaper-pool";

    private final Context ctx;
    private final Moves moves;

    Relocation(Context ctx, Moves moves) {
        this.ctx = ctx;
        this.moves = moves;
    }

    void consider(WorkloadSpec spec, InstanceRecord head, Instant now) {
        RelocationSpec rule = spec.relocation();
        if (rule.every().isZero() || head.state() != InstanceState.RUNNING || !head.spot()
                || now.isBefore(head.launchedAt().plus(rule.every()))) {
            return;
        }
        Optional<PoolSignals> best = moves.launcher().bestPool(spec, Set.of());
        if (best.isEmpty() || best.get().pool().key().equals(head.poolKey())) {
            return;
        }
        double current = ctx.pool(head.poolKey()).map(PoolSignals::spotPrice).orElse(head.pricePerHour());
        double target = best.get().spotPrice();
        if (target > current * (1 - rule.minGain())) {
            return;
        }
        String why = String.format(Locale.ROOT, "%s at $%.4f/h beats %s at $%.4f/h by %.0f %%",
                best.get().pool().key(), target, head.poolKey(), current, 100 * (1 - target / current));
        ctx.journal.note(head.workload(), head.instanceId(), Kind.RELOCATING, why,
                EventFields.NONE.withInstance(head.poolKey(), current, head.spot())
                        .withMove(head.poolKey(), best.get().pool().key(), REASON).withSavingPerHour(current - target));
        if (spec.kind() == WorkloadKind.SERVICE) {
            // A database hands over to a replacement that restores while it still serves: launched first.
            moves.replace(head);
        }
        moves.evacuate(head, now.plus(ctx.config.evacuationWindow()), "relocating");
    }
}
