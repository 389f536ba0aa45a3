package dev.spotkeeper.agent.checkpoint;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.Manifest;
import dev.spotkeeper.core.checkpoint.ManifestFile;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.protocol.Tags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/**
 * The checkpoints of one workload under {@code <root>/<workload>/}: uploads the checkpoint directory (only what
 * changed, manifest last) and restores the newest complete checkpoint. Uploads are serialised: a background sync
 * and an evacuation never interleave.
 */
public final class CheckpointStore {
    /** Below this, a sync's rate is dominated by request latency and says little about bandwidth. */
    private static final long MIN_MEASURED_BYTES = 8 * TransferSettings.MIB;

    private final ObjectStore store;
    private final String root;
    private final String workload;
    private final Clock clock;
    private final ExecutorService pool;
    private final TransferSettings settings;
    private Manifest previous;
    /** Files of the last upload or restore, by path, with the size and modification time they had then. */
    private final Map<String, Indexed> index = new HashMap<>();
    private double measuredBytesPerSecond = Double.NaN;

    private record Indexed(long size, long modifiedNanos, ManifestFile entry) {
    }

    /** @param root key prefix of all workloads' checkpoints: empty or ending with '/' */
    public CheckpointStore(ObjectStore store, String root, String workload, Clock clock, ExecutorService pool,
                           TransferSettings settings) {
        this.store = requireNonNull(store, "store is null");
        this.root = requireNonNull(root, "root is null") + requireNonNull(workload, "workload is null") + "/";
        this.workload = workload;
        this.clock = requireNonNull(clock, "clock is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** The prefix of this workload's checkpoints, e.g. {@code checkpoints/train/}. */
    public String root() {
        return root;
    }

    /** Uploads {@code dir} as the next checkpoint; the manifest is written only after every file is stored. */
    public synchronized UploadResult upload(Path dir, String instanceId) {
        Instant start = clock.instant();
        List<LocalFile> files = LocalFile.scan(dir);
        long sequence = nextSequence();
        String id = Manifest.checkpointId(sequence, instanceId);
        Map<String, ManifestFile> reusable = new HashMap<>();
        for (LocalFile f : files) {
            Indexed i = index.get(f.path());
            if (i != null && i.size() == f.size() && i.modifiedNanos() == f.modifiedNanos()) {
                reusable.put(f.path(), i.entry());
            }
        }
        Map<String, ManifestFile> before = new HashMap<>();
        if (previous != null) {
            previous.files().forEach(f -> before.put(f.path(), f));
        }
        CheckpointUploader uploader = new CheckpointUploader(store, pool, settings);
        List<CheckpointUploader.Outcome> outcomes = uploader.upload(files, root + id + "/", reusable, before);
        List<ManifestFile> entries = outcomes.stream().map(CheckpointUploader.Outcome::entry)
                .sorted(Comparator.comparing(ManifestFile::path)).toList();
        Manifest manifest = new Manifest(workload, id, sequence, clock.instant(), instanceId, entries);
        store.putBytes(root + id + "/" + Manifest.FILE_NAME, manifest.toJson().getBytes(StandardCharsets.UTF_8));
        Duration elapsed = Duration.between(start, clock.instant());
        remember(manifest, files);
        long sent = uploader.bytesSent.get();
        if (sent >= MIN_MEASURED_BYTES && elapsed.toMillis() > 0) {
            measuredBytesPerSecond = sent / (elapsed.toMillis() / 1000.0);
        }
        int filesSent = (int) outcomes.stream().filter(CheckpointUploader.Outcome::sent).count();
        return new UploadResult(manifest, sent, uploader.bytesReused.get(), filesSent, outcomes.size() - filesSent, elapsed);
    }

    /** What uploading {@code dir} now would send, and how long that is expected to take. */
    public synchronized UploadPlan plan(Path dir) {
        long bytes = 0;
        int count = 0;
        for (LocalFile f : LocalFile.scan(dir)) {
            Indexed i = index.get(f.path());
            if (i == null || i.size() != f.size() || i.modifiedNanos() != f.modifiedNanos()) {
                bytes += f.size();
                count++;
            }
        }
        boolean measured = !Double.isNaN(measuredBytesPerSecond);
        return new UploadPlan(bytes, count, measured ? measuredBytesPerSecond : settings.assumedBytesPerSecond(), measured);
    }

    /** What {@link #restore(Path, String)} restores when no checkpoint is named: the newest complete one. */
    public static final String NEWEST = Tags.NEWEST;

    /**
     * Restores the newest complete checkpoint into {@code target}, through a temporary sibling directory moved into
     * place only when every file matched its digest: a failed restore leaves {@code target} as it was.
     */
    public synchronized RestoreResult restore(Path target) {
        return restore(target, NEWEST);
    }

    /**
     * Restores {@code from} (a checkpoint id, or {@link #NEWEST}) into {@code target}. A named checkpoint is restored
     * even when newer ones exist (they are not the job's line); when it cannot be (missing, incomplete or corrupt) it
     * is skipped with the reason and the newest complete one is restored instead. Files the last restore or upload
     * left in {@code target} unchanged are not fetched again where their content is the same.
     */
    public synchronized RestoreResult restore(Path target, String from) {
        Instant start = clock.instant();
        List<RestoreResult.Skipped> skipped = new ArrayList<>();
        Path temp = target.resolveSibling(target.getFileName() + ".restoring");
        List<String> ids = checkpointIds();
        List<String> order = new ArrayList<>();
        if (!from.equals(NEWEST)) {
            if (ids.contains(from)) {
                order.add(from);
            } else {
                skipped.add(new RestoreResult.Skipped(from, "the checkpoint to resume from is not in "
                        + root + " (restoring the newest complete one)"));
            }
        }
        ids.stream().filter(id -> !id.equals(from)).forEach(order::add);
        Map<String, CheckpointRestorer.LocalCopy> local = localCopies(target);
        for (String id : order) {
            Optional<Manifest> manifest = readManifest(id, skipped);
            if (manifest.isEmpty()) {
                continue;
            }
            CheckpointRestorer restorer = new CheckpointRestorer(store, pool);
            Optional<String> problem = restorer.checkObjects(manifest.get());
            if (problem.isEmpty()) {
                deleteTree(temp);
                createDirectories(temp);
                problem = restorer.download(manifest.get(), temp, local);
            }
            if (problem.isPresent()) {
                skipped.add(new RestoreResult.Skipped(id, problem.get()));
                deleteTree(temp);
                continue;
            }
            moveIntoPlace(temp, target);
            remember(manifest.get(), LocalFile.scan(target));
            return new RestoreResult(manifest, skipped, restorer.bytes.get(), restorer.reused.get(),
                    Duration.between(start, clock.instant()));
        }
        createDirectories(target);
        return new RestoreResult(Optional.empty(), skipped, 0, Duration.between(start, clock.instant()));
    }

    /** The files of {@code dir} unchanged (size and modification time) since the last restore or upload. */
    private Map<String, CheckpointRestorer.LocalCopy> localCopies(Path dir) {
        Map<String, CheckpointRestorer.LocalCopy> local = new HashMap<>();
        for (LocalFile f : LocalFile.scan(dir)) {
            Indexed i = index.get(f.path());
            if (i != null && i.size() == f.size() && i.modifiedNanos() == f.modifiedNanos()) {
                local.put(f.path(), new CheckpointRestorer.LocalCopy(f.file(), i.entry()));
            }
        }
        return local;
    }

    /** The newest checkpoint with a readable manifest whose objects all exist (not downloaded). */
    public Optional<Manifest> latestComplete() {
        for (String id : checkpointIds()) {
            Optional<Manifest> m = readManifest(id, new ArrayList<>());
            if (m.isPresent() && new CheckpointRestorer(store, pool).checkObjects(m.get()).isEmpty()) {
                return m;
            }
        }
        return Optional.empty();
    }

    private Optional<Manifest> readManifest(String id, List<RestoreResult.Skipped> skipped) {
        String key = root + id + "/" + Manifest.FILE_NAME;
        Optional<byte[]> bytes = store.getBytes(key);
        if (bytes.isEmpty()) {
            skipped.add(new RestoreResult.Skipped(id, "incomplete: no " + Manifest.FILE_NAME + " (its upload did not finish)"));
            return Optional.empty();
        }
        try {
            Manifest m = Manifest.parse(key, new String(bytes.get(), StandardCharsets.UTF_8));
            if (!m.id().equals(id) || !m.workload().equals(workload)) {
                skipped.add(new RestoreResult.Skipped(id, "its manifest names checkpoint " + m.id() + " of workload " + m.workload()));
                return Optional.empty();
            }
            return Optional.of(m);
        } catch (SpotkeeperException e) {
            skipped.add(new RestoreResult.Skipped(id, "damaged manifest: " + e.getMessage()));
            return Optional.empty();
        }
    }

    /** Checkpoint ids under the workload's prefix, newest (highest sequence) first. */
    private List<String> checkpointIds() {
        return store.listChildren(root).stream()
                .filter(n -> Manifest.sequenceOf(n).isPresent())
                .sorted(Comparator.comparing((String n) -> Manifest.sequenceOf(n).orElseThrow()).reversed()
                        .thenComparing(Comparator.reverseOrder()))
                .toList();
    }

    /** One above every sequence in use, complete or not, so an id is never reused. */
    private long nextSequence() {
        long max = previous == null ? 0 : previous.sequence();
        for (String id : store.listChildren(root)) {
            max = Math.max(max, Manifest.sequenceOf(id).orElse(0L));
        }
        return max + 1;
    }

    private void remember(Manifest manifest, List<LocalFile> files) {
        previous = manifest;
        index.clear();
        for (LocalFile f : files) {
            manifest.file(f.path()).ifPresent(e -> index.put(f.path(), new Indexed(f.size(), f.modifiedNanos(), e)));
        }
    }

    private static void moveIntoPlace(Path temp, Path target) {
        try {
            Path old = target.resolveSibling(target.getFileName() + ".replaced");
            deleteTree(old);
            if (Files.exists(target)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot move the restored checkpoint into " + target + ": " + e.getMessage(), e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
