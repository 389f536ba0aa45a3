package dev.spotkeeper.controller.internal;

import dev.spotkeeper.core.store.WorkloadSnapshot;
import dev.spotkeeper.core.workload.WorkloadKind;
import java.time.Instant;

/**
 * The rules of one workload kind: from a snapshot of the workload, what the cloud reports and the time, the actions
 * that bring it towards what its spec wants. A plan reads nothing and writes nothing; the {@link PlanExecutor}
 * applies it and asks again with the snapshot as it then is, until the plan has nothing new. What every kind shares
 * (finding and adopting instances in the cloud, stopping a finished workload, billing) stays in the generic pass.
 */
public interface KindReconciler {
    WorkloadKind kind();

    Plan plan(WorkloadSnapshot snapshot, CloudView cloud, Instant now);
}
