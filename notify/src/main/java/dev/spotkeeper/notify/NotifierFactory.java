package dev.spotkeeper.notify;

import dev.spotkeeper.core.workload.NotifySpec;
import java.util.List;

/**
 * Makes the notifiers of one workload's notify spec; found through {@link java.util.ServiceLoader}, so a jar on the
 * class path with a {@code META-INF/services/dev.spotkeeper.notify.NotifierFactory} entry adds sinks. spotkeeper
 * ships Slack (incoming webhook and Web API), the generic webhook and SNS.
 */
public interface NotifierFactory {
    /** The notifiers this factory makes for the spec (none when the spec names no sink of its kind). */
    List<Notifier> create(NotifySpec spec, NotifierContext context);
}
