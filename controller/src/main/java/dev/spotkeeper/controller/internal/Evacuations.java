package dev.spotkeeper.controller.internal;

import dev.spotkeeper.core.store.InstanceRecord;
import java.time.Instant;
import java.util.List;

/**
 * The steps every kind takes for an instance on its way out: replaced and asked to evacuate (or hand over) while at
 * risk; replaced and terminated once its evacuation deadline and the grace after it have passed with no report.
 * Each kind says what the step means for it.
 */
final class Evacuations {
    private Evacuations() {
    }

    /** An instance at risk: its replacement, and the evacuation it is asked for (by its tagged deadline). */
    static void atRisk(Context ctx, InstanceRecord r, CloudView cloud, Instant now, String why, List<Action> out) {
        out.add(new Action.Replace(r.instanceId()));
        out.add(new Action.Evacuate(r.instanceId(),
                cloud.evacuateTag(r.instanceId()).orElse(now.plus(ctx.config.evacuationWindow())), why));
    }

    /**
     * An instance evacuating: nothing while its deadline and grace last; then replaced and terminated,
     * {@code why} followed by the deadline it missed.
     */
    static void evacuating(Context ctx, InstanceRecord r, CloudView cloud, Instant now, String why,
                           String after, List<Action> out) {
        Instant deadline = cloud.evacuateTag(r.instanceId()).orElse(r.updatedAt().plus(ctx.config.evacuationWindow()));
        if (now.isAfter(deadline.plus(ctx.config.evacuationGrace()))) {
            out.add(new Action.Replace(r.instanceId()));
            out.add(new Action.Terminate(r.instanceId(), why + deadline + after));
        }
    }
}
