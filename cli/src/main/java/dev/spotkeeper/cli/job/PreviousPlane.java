package dev.spotkeeper.cli.job;

import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.emulator.ec2.Ec2Component.EarlierRun;
import java.util.List;

/**
 * What a local control plane finds at its start in the state its predecessor kept: workloads (the unfinished ones
 * resume, from their last checkpoint when they have one) and the instances it was running, which ended with it —
 * their emulator is gone, so they cannot be adopted; the resident controller sees them gone and launches again.
 *
 * @param instances instances recorded as live in the store (the previous plane's)
 */
record PreviousPlane(int workloads, int unfinished, int withCheckpoint, long instances) {
    static PreviousPlane of(StateStore store, EarlierRun earlier) {
        List<WorkloadRecord> all = store.workloads();
        int unfinished = 0;
        int withCheckpoint = 0;
        long live = 0;
        for (WorkloadRecord w : all) {
            if (!w.status().isTerminal()) {
                unfinished++;
                withCheckpoint += w.lastCheckpoint().isEmpty() ? 0 : 1;
            }
            for (InstanceRecord r : store.instances(w.name())) {
                live += r.state().isTerminal() ? 0 : 1;
            }
        }
        // The emulator's own count covers instances the store never recorded (a launch cut short by the crash).
        return new PreviousPlane(all.size(), unfinished, withCheckpoint, Math.max(live, earlier.stillRunning()));
    }

    /** One line for people: what was found and what happens to it. */
    String line() {
        if (workloads == 0 && instances == 0) {
            return "found no workloads of a previous plane";
        }
        StringBuilder s = new StringBuilder("found ").append(count(workloads, "workload")).append(" (")
                .append(unfinished).append(" unfinished) and ").append(count(instances, "instance"))
                .append(" of the previous plane").append(instances > 0 ? " (ended)" : "").append("; ");
        int fresh = unfinished - withCheckpoint;
        if (unfinished == 0) {
            s.append("nothing to resume");
        } else if (unfinished == 1) {
            s.append("the unfinished one ").append(withCheckpoint == 1 ? "resumes from its checkpoint"
                    : "starts again from the beginning (no checkpoint yet)");
        } else if (fresh == 0) {
            s.append("the unfinished ones resume from their checkpoints");
        } else if (withCheckpoint == 0) {
            s.append("the unfinished ones start again from the beginning (no checkpoint yet)");
        } else {
            s.append("the unfinished ones resume: ").append(withCheckpoint).append(" from ")
                    .append(withCheckpoint == 1 ? "its checkpoint" : "their checkpoints").append(", ").append(fresh)
                    .append(" from the beginning (no checkpoint yet)");
        }
        return s.toString();
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
