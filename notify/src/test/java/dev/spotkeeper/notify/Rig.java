package dev.spotkeeper.notify;

import dev.spotkeeper.core.placement.Requirements;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.OutboxEvent;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.store.WorkloadStatus;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.workload.CheckpointSpec;
import dev.spotkeeper.core.workload.JobExtension;
import dev.spotkeeper.core.workload.Limits;
import dev.spotkeeper.core.workload.NotifySpec;
import dev.spotkeeper.core.workload.RelocationSpec;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import dev.spotkeeper.testkit.store.InMemoryStateStore;
import java.net.http.HttpClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A store with workloads that notify, an environment the references read, and a sender over them. */
final class Rig implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    final InMemoryStateStore store = new InMemoryStateStore();
    final Map<String, String> env = new ConcurrentHashMap<>();
    final List<String> reports = new CopyOnWriteArrayList<>();
    final HttpClient http = NotifierContext.httpClient();
    URI slackApi = NotifierContext.SLACK_API;
    Duration requestTimeout = Duration.ofSeconds(2);
    NotificationSender sender;

    NotifierContext context() {
        return new NotifierContext(http, env::get, Optional.empty(), Optional.empty(), requestTimeout, slackApi);
    }

    static WorkloadSpec spec(String name, NotifySpec notify) {
        return new WorkloadSpec(name, Requirements.builder().build(), "lowest-price", Limits.NONE, "default",
                new WorkloadSpec.Buckets("", "", "s3://ckpt/" + name), RelocationSpec.never(),
                new JobExtension("", "python train.py", new CheckpointSpec("/tmp/ckpt", "SIGUSR1", "",
                        Duration.ofMinutes(5))), notify);
    }

    void workload(String name, NotifySpec notify) {
        store.createWorkload(new WorkloadRecord(name, WorkloadSpecJson.write(spec(name, notify)),
                WorkloadStatus.RUNNING, 0, "", T0, T0, 0));
    }

    void instance(String workload, String id, String pool, double price) {
        store.createInstance(new InstanceRecord(id, workload, pool, true, price, InstanceState.RUNNING, "", "", T0,
                T0, 0));
    }

    long event(String workload, String instance, String kind, String message) {
        return event(T0, workload, instance, kind, message);
    }

    long event(Instant at, String workload, String instance, String kind, String message) {
        return store.appendEvent(new OutboxEvent(0, at, workload, instance, kind, message));
    }

    NotificationSender start(NotificationSender.Settings settings, Clock clock) {
        sender = new NotificationSender(store, context(), settings, clock, reports::add);
        sender.start();
        return sender;
    }

    /** Quick settings for tests: a fast poll and backoff, grouping that keeps out of the way. */
    static NotificationSender.Settings fast() {
        return NotificationSender.Settings.defaults().withPoll(Duration.ofMillis(20))
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200), 3, Duration.ofMinutes(1))
                .withGroup(Duration.ofMinutes(10), 100);
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.close();
        }
    }
}
