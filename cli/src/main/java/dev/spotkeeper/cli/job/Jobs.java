package dev.spotkeeper.cli.job;

import dev.spotkeeper.spec.yaml.StoredSpecs;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.controller.ControllerConfig;
import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.util.List;
import java.util.Locale;

/** What the job commands share: a controller over a backend, workload look-up with suggestions, formatting. */
public final class Jobs {
    private Jobs() {
    }

    /**
     * A controller over the backend. With a resident controller it is only used to submit, cancel and price, never
     * for passes; what it notes (submitted, cancelled) goes to the shared event log so followers see it.
     */
    public static Controller controller(JobBackend backend) {
        return controller(backend, backend.config());
    }

    static Controller controller(JobBackend backend, ControllerConfig config) {
        // The controller reads canonical JSON only: specs stored as YAML by an earlier version are converted first.
        StoredSpecs.migrate(backend.store());
        Controller c = new Controller(backend.store(), backend.compute(), backend.queue(), backend.market(),
                backend.objects(), config, backend.clock());
        backend.journal().ifPresent(file -> c.addListener(JournalFile.appender(file)));
        backend.addresses().ifPresent(c::useAddresses);
        backend.fleets().ifPresent(c::useFleets);
        return c;
    }

    static WorkloadRecord workload(JobBackend backend, String name) {
        return backend.store().workload(name).orElseThrow(() -> {
            List<String> names = backend.store().workloads().stream().map(WorkloadRecord::name).toList();
            return SpotkeeperException.invalidArgument("no workload named '" + name + "'"
                    + Names.didYouMean(name, names) + (names.isEmpty() ? "; none submitted yet" : "")
                    + (backend instanceof EmulatorBackend ? " (the local emulator keeps nothing between commands:"
                    + " `spotkeeper run FILE` follows a job to its end; use --profile for AWS)"
                    : "; `spotkeeper list` shows them"));
        });
    }

    static String status(WorkloadRecord w) {
        return w.status().name().toLowerCase(Locale.ROOT);
    }

    /** The instance doing the work now: the newest that is neither terminated nor replaced. */
    static String current(List<InstanceRecord> instances) {
        for (int i = instances.size() - 1; i >= 0; i--) {
            InstanceRecord r = instances.get(i);
            if (!r.state().isTerminal() && r.replacedBy().isEmpty()) {
                return r.instanceId() + " " + r.poolKey() + (r.spot() ? " spot" : " on-demand") + " "
                        + r.state().name().toLowerCase(Locale.ROOT);
            }
        }
        return "-";
    }

    static String line(WorkloadRecord w, List<InstanceRecord> instances, double spent) {
        return String.format(Locale.ROOT, "%s  %-9s  %5.1f %%  $%.4f  %s", w.name(), status(w), w.progress() * 100,
                spent, current(instances));
    }

    static String dollars(double d) {
        return String.format(Locale.ROOT, "$%.4f", d);
    }
}
