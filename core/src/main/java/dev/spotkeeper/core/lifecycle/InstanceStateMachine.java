package dev.spotkeeper.core.lifecycle;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The state of one instance with compare-and-set transitions along {@link InstanceState#next()}. Events arrive
 * at least once and out of order, so a transition that is not allowed (a warning after the instance already
 * terminated, a second "evacuated") is an outcome, not an error: {@link #transition} returns false and the
 * state is unchanged. Listeners run after the change, outside any lock.
 */
public final class InstanceStateMachine {
    /** Told of every change, after it happened. */
    public interface Listener {
        void changed(String instanceId, InstanceState from, InstanceState to, String cause);
    }

    private final String instanceId;
    private final AtomicReference<InstanceState> state;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public InstanceStateMachine(String instanceId, InstanceState initial) {
        this.instanceId = requireNonNull(instanceId, "instanceId is null");
        this.state = new AtomicReference<>(requireNonNull(initial, "initial is null"));
    }

    public InstanceState get() {
        return state.get();
    }

    public String instanceId() {
        return instanceId;
    }

    public void addListener(Listener listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /** Moves to {@code target} if allowed from the current state; false (and no change) otherwise. */
    public boolean transition(InstanceState target, String cause) {
        requireNonNull(target, "target is null");
        while (true) {
            InstanceState current = state.get();
            if (!current.canMoveTo(target)) {
                return false;
            }
            if (state.compareAndSet(current, target)) {
                for (Listener l : listeners) {
                    l.changed(instanceId, current, target, cause);
                }
                return true;
            }
        }
    }

    /** Moves to {@code target} only from {@code expected}. */
    public boolean compareAndSet(InstanceState expected, InstanceState target, String cause) {
        if (!expected.canMoveTo(target) || !state.compareAndSet(expected, target)) {
            return false;
        }
        for (Listener l : listeners) {
            l.changed(instanceId, expected, target, cause);
        }
        return true;
    }
}
