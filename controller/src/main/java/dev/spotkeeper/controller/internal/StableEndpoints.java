package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.core.cloud.AddressPort;
import dev.spotkeeper.core.store.InstanceRecord;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A service's stable address: allocated once per service (tagged with the workload), associated with the primary once
 * it serves, re-associated to the new primary only after the hand-over was verified (the replacement's
 * {@code started}), released when the workload ends. Without an address port (a controller built without one) it
 * does nothing. What it last associated is remembered per workload, so a pass that changes nothing calls no API.
 */
final class StableEndpoints {
    /** The database's port: what the address forwards to on the emulator, and what clients connect to on AWS. */
    static final int DATABASE_PORT = 3306;

    /** Told when a workload holds an address and when it no longer does: the ledger bills the time between. */
    interface Listener {
        void held(String workload, AddressPort.StableAddress address);

        /** Called after every release that succeeded, also when there was nothing left to release. */
        void released(String workload);
    }

    private final Journal journal;
    private volatile AddressPort addresses;
    private volatile Listener listener = new Listener() {
        @Override
        public void held(String workload, AddressPort.StableAddress address) {
        }

        @Override
        public void released(String workload) {
        }
    };
    private final Map<String, String> associated = new ConcurrentHashMap<>();
    private final Set<String> released = ConcurrentHashMap.newKeySet();
    private final Map<String, String> failing = new ConcurrentHashMap<>();
    /** Ended services whose release failed: they keep getting passes until it succeeds, so no address is leaked. */
    private final Set<String> unreleased = ConcurrentHashMap.newKeySet();

    StableEndpoints(Journal journal) {
        this.journal = journal;
    }

    void use(AddressPort port) {
        this.addresses = port;
    }

    void listen(Listener l) {
        this.listener = l;
    }

    /** Points the workload's address at its primary {@code r}, allocating it first when it has none. */
    void follow(InstanceRecord r) {
        AddressPort port = addresses;
        if (port == null || r.instanceId().equals(associated.get(r.workload()))) {
            return;
        }
        String region = Moves.region(r);
        try {
            AddressPort.StableAddress a = port.allocateOrFind(region, r.workload(), DATABASE_PORT);
            listener.held(r.workload(), a);
            if (!a.instanceId().equals(Optional.of(r.instanceId()))) {
                port.associate(a, r.instanceId());
                journal.note(r.workload(), r.instanceId(), ControllerEvent.Kind.ENDPOINT, "endpoint " + a.publicIp()
                        + " now points to " + r.instanceId() + a.instanceId().map(o -> " (was " + o + ")").orElse(""));
            }
            associated.put(r.workload(), r.instanceId());
            released.remove(r.workload());
            failing.remove(r.workload());
        } catch (RuntimeException e) {
            // The database keeps its data and its hand-over whatever the address does: say so once, retry each pass.
            String why = String.valueOf(e.getMessage());
            if (!why.equals(failing.put(r.workload(), why))) {
                journal.note(r.workload(), r.instanceId(), ControllerEvent.Kind.ERROR, "endpoint: " + why
                        + "; the database serves on; retrying each pass");
            }
        }
    }

    /**
     * True while an ended workload's address is still to be released (its last attempt failed). A controller that
     * starts again makes its first pass over every workload, so it finds such an address too.
     */
    boolean releasePending(String workload) {
        return unreleased.contains(workload);
    }

    /**
     * Releases the workload's address in each of its regions; once per workload and controller process, and again
     * at each later pass while it fails. Idempotent: an address already gone is not found, and one already
     * disassociated is released as it is.
     */
    void release(String workload, Collection<String> regions) {
        AddressPort port = addresses;
        if (port == null || !released.add(workload)) {
            return;
        }
        associated.remove(workload);
        try {
            for (String region : regions) {
                port.find(region, workload).ifPresent(a -> {
                    port.release(a);
                    journal.note(workload, "", ControllerEvent.Kind.ENDPOINT, "endpoint " + a.publicIp() + " released");
                });
            }
            failing.remove(workload);
            unreleased.remove(workload);
            listener.released(workload);
        } catch (RuntimeException e) {
            released.remove(workload);
            unreleased.add(workload);
            String why = String.valueOf(e.getMessage());
            if (!why.equals(failing.put(workload, why))) {
                journal.note(workload, "", ControllerEvent.Kind.ERROR, "endpoint: " + why
                        + "; releasing it again at the next pass");
            }
        }
    }
}
