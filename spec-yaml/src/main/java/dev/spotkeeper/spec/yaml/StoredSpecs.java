package dev.spotkeeper.spec.yaml;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import java.util.Optional;

/**
 * Converts the specs that a store kept as YAML, before specs had a canonical form, to their canonical JSON, in
 * place: the controller reads JSON only, and YAML is read by the CLI alone. Run before a controller is made over a
 * store; a store that holds JSON only costs one listing of its workloads.
 */
public final class StoredSpecs {
    private static final int ATTEMPTS = 5;

    private StoredSpecs() {
    }

    /** Converts every workload's YAML spec; returns how many it converted. */
    public static int migrate(StateStore store) {
        int converted = 0;
        for (WorkloadRecord w : store.workloads()) {
            if (!WorkloadSpecJson.isCanonical(w.specText()) && convert(store, w.name())) {
                converted++;
            }
        }
        return converted;
    }

    /**
     * One workload, retried when another process changed it meanwhile. A text that does not read as a workload file
     * is left as it is: the controller then fails that workload, saying its spec cannot be read.
     */
    private static boolean convert(StateStore store, String name) {
        for (int i = 0; i < ATTEMPTS; i++) {
            Optional<WorkloadRecord> current = store.workload(name);
            if (current.isEmpty() || WorkloadSpecJson.isCanonical(current.get().specText())) {
                return false;
            }
            String json;
            try {
                json = WorkloadSpecJson.write(YamlSpecs.parseAccepted("the stored spec of " + name,
                        current.get().specText()));
            } catch (SpotkeeperException e) {
                return false;
            }
            if (store.updateWorkload(current.get().withSpecText(json))) {
                return true;
            }
        }
        return false;
    }
}
