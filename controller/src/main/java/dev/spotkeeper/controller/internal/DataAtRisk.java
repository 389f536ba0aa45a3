package dev.spotkeeper.controller.internal;

import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.checkpoint.StoredObject;
import dev.spotkeeper.core.store.EventFields;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.workload.DatabaseSpec;
import dev.spotkeeper.core.workload.ServiceExtension;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a service's data is at risk (DATA_AT_RISK), from what its primary's agent leaves in S3 (docs/database.md):
 * its heartbeat {@code db/primary/g<generation>}, written after every shipping step that succeeded, so its time is
 * when the binary log last reached S3; and its base backups {@code db/base/<position>-g<generation>-<millis>.xbstream}.
 * Data is at risk when
 * <ul>
 *   <li>the primary serves and its log has not reached S3 for longer than {@link #allowed} (a ship that keeps failing,
 *   an agent that hangs): acknowledged writes since are on the instance only ({@code ship-behind});</li>
 *   <li>it serves and its newest base is older than {@code backup.base} plus half of it (at least 10 min): a base
 *   that keeps failing ({@code base-behind});</li>
 *   <li>it is asked to hand over (a warning, a relocation) while its log is behind as above: the writes since are
 *   safe only if its hand-over ships them ({@code warned-behind});</li>
 *   <li>it is gone without a verified hand-over (lost without warning, or terminated with no hand-over reported and
 *   none in S3, {@code db/handover/g<generation>.json}): what it acknowledged after its last ship is lost
 *   ({@code lost}; {@code no-hand-over} when it had been asked to hand over).</li>
 * </ul>
 * Each is told once per cause: per primary, and for a ship or base behind per last ship or newest base, so a failure
 * that recovers and comes back is told again. A store that cannot be read is passed over (the next look retries).
 */
final class DataAtRisk {
    static final String SHIP_BEHIND = "ship-behind";
    static final String BASE_BEHIND = "base-behind";
    static final String WARNED_BEHIND = "warned-behind";
    static final String LOST = "lost";
    static final String NO_HAND_OVER = "no-hand-over";
    private static final String GONE = "gone";
    private static final Pattern BASE_TIME = Pattern.compile("-g\\d+-(\\d+)\\.xbstream$");
    /** The least time between two looks at a serving primary's backup (one S3 read, a listing every tenth). */
    private static final Duration EVERY = Duration.ofSeconds(10);

    private final Context ctx;
    /** A serving primary's last look, per instance, in this controller's memory only. */
    private final Map<String, Instant> looked = new ConcurrentHashMap<>();
    private final Map<String, Instant> listed = new ConcurrentHashMap<>();

    private final DataBilling billing;

    DataAtRisk(Context ctx) {
        this.ctx = ctx;
        this.billing = new DataBilling(ctx);
    }

    /** How long a serving primary's log may go without reaching S3: three shipping periods and 10 s. */
    static Duration allowed(Duration ship) {
        return ship.multipliedBy(3).plusSeconds(10);
    }

    /** How old a serving primary's newest base may be: {@code backup.base} and half of it, at least 10 min more. */
    static Duration baseAllowed(Duration base) {
        Duration half = base.dividedBy(2);
        return base.plus(half.compareTo(Duration.ofMinutes(10)) < 0 ? Duration.ofMinutes(10) : half);
    }

    void check(WorkloadRecord w, InstanceRecord r, dev.spotkeeper.controller.internal.Action.CheckData.When when,
               CloudView cloud, Instant now) {
        WorkloadSpec spec = ctx.spec(w.specText());
        if (!(spec.extension() instanceof ServiceExtension service) || spec.buckets().checkpoints().isBlank()) {
            return;
        }
        DatabaseSpec.Backup backup = service.database().backup();
        switch (when) {
            case SERVING -> serving(w, spec, r, backup, cloud, now);
            case HANDING_OVER -> handingOver(w, spec, r, backup, cloud, now);
            case LOST -> lost(w, spec, r, cloud, now);
        }
    }

    private void serving(WorkloadRecord w, WorkloadSpec spec, InstanceRecord r, DatabaseSpec.Backup backup,
                         CloudView cloud, Instant now) {
        Instant last = looked.get(r.instanceId());
        if (last != null && now.isBefore(last.plus(EVERY))) {
            return;
        }
        looked.put(r.instanceId(), now);
        if (looked.size() > 10_000) {
            looked.clear();
        }
        Optional<Instant> shipped;
        try {
            shipped = heartbeat(spec, w.name(), generation(r, cloud));
        } catch (RuntimeException e) {
            return; // S3 out of reach for the controller: the next look retries
        }
        // A primary serves once its agent has shipped at start; without a heartbeat its time is counted from then.
        Instant since = shipped.orElse(r.updatedAt());
        Duration behind = Duration.between(since, now);
        if (behind.compareTo(allowed(backup.ship())) > 0) {
            tell(w, r, SHIP_BEHIND + "|" + since, SHIP_BEHIND, shipped, behind, String.format(java.util.Locale.ROOT,
                    "data at risk on %s: its binary log has not reached S3 for %.1f s (%s; shipping every %s,"
                            + " allowed %s): writes acknowledged since are on the instance only, and lost if it goes"
                            + " before a ship succeeds", r.instanceId(), behind.toMillis() / 1000.0,
                    shipped.map(t -> "last at " + t).orElse("never since it started serving at " + since),
                    backup.ship(), allowed(backup.ship())));
        }
        Instant baseLook = listed.get(r.instanceId());
        if (baseLook != null && now.isBefore(baseLook.plus(EVERY.multipliedBy(10)))) {
            return;
        }
        listed.put(r.instanceId(), now);
        if (listed.size() > 10_000) {
            listed.clear();
        }
        Optional<Map.Entry<String, Instant>> newest;
        try {
            newest = newestBase(spec, w.name());
            // What the backup holds in S3 (bases, segments, catalog) is billed as the service's storage.
            List<StoredObject> held = ctx.objects.bucket(place(spec, w.name()).bucket())
                    .list(place(spec, w.name()).prefix());
            billing.backupHeld(w.name(), held.stream().mapToLong(StoredObject::size).sum(), held.size(), now);
        } catch (RuntimeException e) {
            return;
        }
        // A primary younger than the allowance has had no time to miss a base.
        Instant baseSince = newest.map(Map.Entry::getValue).orElse(r.updatedAt());
        Duration baseAge = Duration.between(baseSince, now);
        if (baseAge.compareTo(baseAllowed(backup.base())) > 0) {
            tell(w, r, BASE_BEHIND + "|" + newest.map(Map.Entry::getKey).orElse("none"), BASE_BEHIND, shipped,
                    Duration.between(since, now), String.format(java.util.Locale.ROOT,
                            "data at risk on %s: its newest base backup is %.0f min old (%s; a base every %s): a"
                                    + " restore replays every binary log since, and one segment lost loses what"
                                    + " follows it", r.instanceId(), baseAge.toSeconds() / 60.0,
                            newest.map(Map.Entry::getKey).orElse("none"), backup.base()));
        }
    }

    private void handingOver(WorkloadRecord w, WorkloadSpec spec, InstanceRecord r, DatabaseSpec.Backup backup,
                             CloudView cloud, Instant now) {
        String key = key(w, r, WARNED_BEHIND);
        if (ctx.noticed.contains(key)) {
            return;
        }
        Optional<Instant> shipped;
        try {
            shipped = heartbeat(spec, w.name(), generation(r, cloud));
        } catch (RuntimeException e) {
            return;
        }
        Instant asked = r.interruptedAt().orElse(r.updatedAt());
        Instant since = shipped.orElse(r.launchedAt());
        Duration behind = Duration.between(since, asked);
        if (behind.compareTo(allowed(backup.ship())) > 0) {
            tell(w, r, WARNED_BEHIND, WARNED_BEHIND, shipped, behind, String.format(java.util.Locale.ROOT,
                    "data at risk on %s: asked to hand over at %s while its binary log had not reached S3 for %.1f s"
                            + " (%s; allowed %s): the writes it acknowledged since are safe only if its hand-over"
                            + " ships them", r.instanceId(), asked, behind.toMillis() / 1000.0,
                    shipped.map(t -> "last at " + t).orElse("never"), allowed(backup.ship())));
        } else {
            ctx.noticed.add(key); // looked once: the hand-over ships the rest
        }
    }

    private void lost(WorkloadRecord w, WorkloadSpec spec, InstanceRecord r, CloudView cloud, Instant now) {
        // Its replacement launched before it went: it had been asked to hand over (a warning, a relocation); one
        // launched after it went replaces a loss. One key for both, told once.
        boolean asked = !r.replacedBy().isEmpty() && ctx.store.instance(r.replacedBy())
                .filter(x -> x.launchedAt().isBefore(r.updatedAt())).isPresent();
        String reason = asked ? NO_HAND_OVER : LOST;
        if (ctx.noticed.contains(key(w, r, GONE))) {
            return;
        }
        Optional<Instant> shipped;
        boolean handedOver;
        try {
            int generation = generation(r, cloud);
            shipped = heartbeat(spec, w.name(), generation);
            // The hand-over's record, written once its last log is in S3: handed over, only the report was lost.
            handedOver = shipped.isPresent() && ctx.objects.bucket(place(spec, w.name()).bucket())
                    .size(place(spec, w.name()).prefix() + "handover/g" + generation + ".json").isPresent();
        } catch (RuntimeException e) {
            return;
        }
        if (shipped.isEmpty() || handedOver) {
            // Without a heartbeat its agent never shipped, so it never served (a primary ships at start): it
            // acknowledged no write. Looked at once.
            ctx.noticed.add(key(w, r, GONE));
            return;
        }
        Instant gone = r.updatedAt();
        Duration unshipped = Duration.between(shipped.get(), gone);
        tell(w, r, GONE, reason, shipped, unshipped.isNegative() ? Duration.ZERO : unshipped,
                String.format(java.util.Locale.ROOT, "data at risk: %s %s; its binary log last reached S3 at %s,"
                                + " %.1f s before, so writes it acknowledged after that are lost; the next primary"
                                + " serves what S3 holds", r.instanceId(), reason.equals(LOST)
                                ? "was lost without a hand-over" : "did not report its hand-over in time",
                        shipped.get(), Math.max(0, unshipped.toMillis()) / 1000.0));
    }

    private void tell(WorkloadRecord w, InstanceRecord r, String cause, String reason, Optional<Instant> shipped,
                      Duration unshipped, String message) {
        String key = key(w, r, cause);
        if (ctx.noticed.add(key) && ctx.store.markProcessed(key)) {
            ctx.journal.note(w.name(), r.instanceId(), Kind.DATA_AT_RISK, message, EventFields.NONE
                    .withInstance(r.poolKey(), r.pricePerHour(), r.spot()).withDataAtRisk(reason, shipped,
                            Optional.of(unshipped)));
        }
    }

    /** Names the workload's submission too, so that a service submitted again under its name is told again. */
    private static String key(WorkloadRecord w, InstanceRecord r, String cause) {
        return "data-at-risk|" + w.name() + "|" + w.submittedAt().toEpochMilli() + "|" + r.instanceId() + "|" + cause;
    }

    /** The time in the primary's heartbeat: when its agent last shipped the log; empty when it never did. */
    private Optional<Instant> heartbeat(WorkloadSpec spec, String workload, int generation) {
        Place p = place(spec, workload);
        return ctx.objects.bucket(p.bucket()).getBytes(p.prefix() + "primary/g" + generation).flatMap(b -> {
            try {
                return Optional.of(Instant.parse(new String(b, StandardCharsets.UTF_8).strip()));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    /** The newest base backup, by the time in its key. */
    private Optional<Map.Entry<String, Instant>> newestBase(WorkloadSpec spec, String workload) {
        Place p = place(spec, workload);
        List<StoredObject> bases = ctx.objects.bucket(p.bucket()).list(p.prefix() + "base/");
        return bases.stream().map(StoredObject::key).<Map.Entry<String, Instant>>flatMap(k -> {
            Matcher m = BASE_TIME.matcher(k);
            return m.find() ? java.util.stream.Stream.of(Map.entry(k.substring(k.lastIndexOf('/') + 1),
                    Instant.ofEpochMilli(Long.parseLong(m.group(1))))) : java.util.stream.Stream.empty();
        }).max(Map.Entry.comparingByValue());
    }

    /**
     * The instance's generation: its launch tag, else its place among the workload's instances by launch (the
     * launcher numbers them so).
     */
    private int generation(InstanceRecord r, CloudView cloud) {
        Optional<Integer> tagged = cloud.instance(r.instanceId()).map(c -> c.tags().get(Tags.GENERATION))
                .filter(g -> g.matches("\\d{1,9}")).map(Integer::parseInt);
        if (tagged.isPresent()) {
            return tagged.get();
        }
        List<InstanceRecord> all = ctx.store.instances(r.workload()).stream()
                .sorted(Comparator.comparing(InstanceRecord::launchedAt).thenComparing(InstanceRecord::instanceId))
                .toList();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).instanceId().equals(r.instanceId())) {
                return i + 1;
            }
        }
        return all.size() + 1;
    }

    private record Place(String bucket, String prefix) {
    }

    /** {@code <checkpoints>/<workload>/db/}, where the service's agent keeps its backup. */
    private static Place place(WorkloadSpec spec, String workload) {
        String rest = spec.buckets().checkpoints().substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix += "/";
        }
        return new Place(bucket, prefix + workload + "/db/");
    }
}
