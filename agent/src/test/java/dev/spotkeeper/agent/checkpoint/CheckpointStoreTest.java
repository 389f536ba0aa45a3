package dev.spotkeeper.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.agent.LocalS3;
import dev.spotkeeper.awsclient.S3ObjectStore;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.Manifest;
import dev.spotkeeper.core.checkpoint.ManifestFile;
import dev.spotkeeper.testkit.MutableClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class CheckpointStoreTest {
    private static final long MIB = TransferSettings.MIB;
    /** 5 MiB chunks so a 22 MiB file has five, the last one short; files up to 1 MiB packed. */
    private static final TransferSettings SETTINGS = TransferSettings.defaults().withChunkSize(5 * MIB, MIB);

    @TempDir
    static Path s3Dir;
    static LocalS3 s3;
    static S3Client client;
    static ExecutorService pool;
    static int bucketNumber;

    @TempDir
    Path work;
    S3ObjectStore store;
    MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    Random random = new Random(7);

    @BeforeAll
    static void startS3() throws Exception {
        s3 = new LocalS3(s3Dir);
        client = s3.client();
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterAll
    static void stopS3() throws Exception {
        pool.shutdownNow();
        client.close();
        s3.close();
    }

    @BeforeEach
    void bucket() {
        String bucket = "ckpt-" + (++bucketNumber);
        client.createBucket(b -> b.bucket(bucket));
        store = new S3ObjectStore(client, bucket);
    }

    private CheckpointStore checkpoints(dev.spotkeeper.core.checkpoint.ObjectStore objects) {
        return new CheckpointStore(objects, "checkpoints/", "train", clock, pool, SETTINGS);
    }

    private Path checkpointDir() throws IOException {
        Path dir = work.resolve("ckpt");
        write(dir.resolve("model.bin"), 22 * MIB + 12345);
        write(dir.resolve("optimizer/state.bin"), 3 * MIB);
        for (int i = 0; i < 20; i++) {
            write(dir.resolve("shards/shard-" + i + ".json"), 1000 + i * 37);
        }
        Files.createFile(dir.resolve("empty"));
        return dir;
    }

    private void write(Path file, long size) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] data = new byte[(int) size];
        random.nextBytes(data);
        Files.write(file, data);
    }

    @Test
    void upload_thenRestoreElsewhere_givesByteIdenticalFiles() throws IOException {
        Path dir = checkpointDir();
        UploadResult up = checkpoints(store).upload(dir, "i-0aaa");

        Path target = work.resolve("restored");
        RestoreResult restored = checkpoints(store).restore(target);

        assertThat(restored.checkpointId()).isEqualTo(up.manifest().id()).isEqualTo("ckpt-0000000001-i-0aaa");
        assertThat(contents(target)).isEqualTo(contents(dir));
        assertThat(restored.bytes()).isEqualTo(up.manifest().totalBytes());
        assertThat(up.bytesSent()).isEqualTo(up.manifest().totalBytes());
        assertThat(up.manifest().file("model.bin").orElseThrow().extents()).hasSize(5);
        assertThat(target.resolveSibling("restored.restoring")).doesNotExist();
    }

    @Test
    void upload_writesManifestLast_afterEveryFileObject() throws IOException {
        RecordingStore recording = new RecordingStore(store);
        UploadResult up = checkpoints(recording).upload(checkpointDir(), "i-0aaa");

        String manifestKey = "checkpoints/train/" + up.manifest().id() + "/manifest.json";
        assertThat(recording.completedWrites).last().isEqualTo(manifestKey);
        assertThat(recording.completedWrites).hasSize(keys(up.manifest()).size() + 1).containsAll(keys(up.manifest()));
    }

    @Test
    void upload_packsSmallFiles_andStoresLargeOnesAsChunks() throws IOException {
        UploadResult up = checkpoints(store).upload(checkpointDir(), "i-0aaa");

        Manifest m = up.manifest();
        String prefix = "checkpoints/train/" + m.id() + "/";
        // 5 chunks of model.bin, 1 of optimizer/state.bin, the 20 shards in one pack, the manifest.
        assertThat(store.list(prefix)).hasSize(8);
        assertThat(m.files().stream().filter(f -> f.path().startsWith("shards/")).map(f -> f.extents().get(0).key()).distinct())
                .containsExactly(prefix + "packs/pack-00000");
        assertThat(m.file("model.bin").orElseThrow().extents()).extracting(ManifestFile.Extent::key)
                .containsExactly(prefix + "chunks/model.bin/000000", prefix + "chunks/model.bin/000001",
                        prefix + "chunks/model.bin/000002", prefix + "chunks/model.bin/000003", prefix + "chunks/model.bin/000004");
        assertThat(m.file("empty").orElseThrow().extents()).isEmpty();
        assertThat(up.bytesReused()).isZero();
    }

    @Test
    void secondUpload_sendsOnlyChangedFilesAndParts() throws IOException {
        Path dir = checkpointDir();
        CheckpointStore checkpoints = checkpoints(store);
        UploadResult first = checkpoints.upload(dir, "i-0aaa");
        write(dir.resolve("shards/shard-3.json"), 2000);
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("model.bin").toFile(), "rw")) {
            f.seek(11 * MIB);
            f.write(new byte[4096]);
        }

        UploadResult second = checkpoints.upload(dir, "i-0aaa");

        assertThat(second.bytesSent()).isEqualTo(2000 + 5 * MIB);
        assertThat(second.bytesReused()).isEqualTo(second.manifest().totalBytes() - second.bytesSent());
        assertThat(second.filesSent()).isEqualTo(2);
        Manifest m = second.manifest();
        assertThat(m.sequence()).isEqualTo(2);
        assertThat(m.file("optimizer/state.bin").orElseThrow().extents())
                .isEqualTo(first.manifest().file("optimizer/state.bin").orElseThrow().extents());
        assertThat(m.file("shards/shard-3.json").orElseThrow().extents().get(0).key()).contains(m.id());
        assertThat(m.file("shards/shard-4.json").orElseThrow().extents().get(0).key()).contains(first.manifest().id());
        // Only the chunk holding offset 11 MiB (the third) was sent again; the others stay where they were.
        assertThat(m.file("model.bin").orElseThrow().extents()).extracting(e -> e.key().contains(m.id()))
                .containsExactly(false, false, true, false, false);
        Path target = work.resolve("restored");
        assertThat(checkpoints(store).restore(target).checkpointId()).isEqualTo(m.id());
        assertThat(contents(target)).isEqualTo(contents(dir));
    }

    @Test
    void uploadAfterRestoreOnANewInstance_reusesUnchangedContent() throws IOException {
        Path dir = checkpointDir();
        checkpoints(store).upload(dir, "i-0aaa");
        Path target = work.resolve("restored");
        CheckpointStore replacement = checkpoints(store);
        replacement.restore(target);
        write(target.resolve("shards/shard-0.json"), 500);

        UploadResult next = replacement.upload(target, "i-0bbb");

        assertThat(next.bytesSent()).isEqualTo(500);
        assertThat(next.manifest().id()).isEqualTo("ckpt-0000000002-i-0bbb");
    }

    @Test
    void restoreOfTheNamedCheckpoint_afterAPrepare_fetchesOnlyWhatDiffers() throws IOException {
        Path dir = checkpointDir();
        CheckpointStore old = checkpoints(store);
        old.upload(dir, "i-0aaa");
        CheckpointStore replacement = checkpoints(store);
        Path target = work.resolve("restored");
        replacement.restore(target);
        // The old instance evacuates: one chunk of the model and one small file changed since.
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("model.bin").toFile(), "rw")) {
            f.seek(11 * MIB);
            f.write(new byte[4096]);
        }
        write(dir.resolve("shards/shard-7.json"), 999);
        UploadResult evacuated = old.upload(dir, "i-0aaa");

        RestoreResult restored = replacement.restore(target, evacuated.manifest().id());

        assertThat(restored.checkpointId()).isEqualTo(evacuated.manifest().id());
        assertThat(contents(target)).isEqualTo(contents(dir));
        // The chunk at 10-15 MiB and the changed shard came from the store; the rest from the disk.
        assertThat(restored.bytes()).isEqualTo(5 * MIB + 999);
        assertThat(restored.reusedBytes()).isEqualTo(evacuated.manifest().totalBytes() - restored.bytes());
        assertThat(restored.skipped()).isEmpty();
    }

    @Test
    void restoreOfTheNamedCheckpoint_ignoresNewerOnesOfAnotherLine() throws IOException {
        Path dir = checkpointDir();
        CheckpointStore checkpoints = checkpoints(store);
        UploadResult named = checkpoints.upload(dir, "i-0aaa");
        Map<String, byte[]> namedContents = contents(dir);
        write(dir.resolve("shards/shard-2.json"), 1234);
        checkpoints.upload(dir, "i-0bbb");

        RestoreResult restored = checkpoints(store).restore(work.resolve("restored"), named.manifest().id());

        assertThat(restored.checkpointId()).isEqualTo(named.manifest().id());
        assertThat(restored.skipped()).isEmpty();
        assertThat(contents(work.resolve("restored"))).isEqualTo(namedContents);
    }

    @Test
    void namedCheckpointThatCannotBeRestored_isSkippedWithWhy_andTheNewestCompleteOneIsRestored() throws IOException {
        Path dir = checkpointDir();
        UploadResult only = checkpoints(store).upload(dir, "i-0aaa");

        RestoreResult restored = checkpoints(store).restore(work.resolve("restored"), "ckpt-0000000009-i-0zzz");

        assertThat(restored.checkpointId()).isEqualTo(only.manifest().id());
        assertThat(restored.skipped()).singleElement().satisfies(x -> {
            assertThat(x.checkpointId()).isEqualTo("ckpt-0000000009-i-0zzz");
            assertThat(x.reason()).contains("not in checkpoints/train/");
        });
    }

    @Test
    void localFileChangedBehindTheRestoresBack_isFetchedAgain_notTrusted() throws IOException {
        Path dir = checkpointDir();
        CheckpointStore old = checkpoints(store);
        old.upload(dir, "i-0aaa");
        CheckpointStore replacement = checkpoints(store);
        Path target = work.resolve("restored");
        replacement.restore(target);
        Path model = target.resolve("model.bin");
        java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(model);
        try (RandomAccessFile f = new RandomAccessFile(model.toFile(), "rw")) {
            f.seek(MIB);
            f.write(new byte[] {42, 42, 42});
        }
        Files.setLastModifiedTime(model, time);
        write(dir.resolve("optimizer/state.bin"), 3 * MIB);
        UploadResult evacuated = old.upload(dir, "i-0aaa");

        RestoreResult restored = replacement.restore(target, evacuated.manifest().id());

        assertThat(restored.checkpointId()).isEqualTo(evacuated.manifest().id());
        assertThat(contents(target)).isEqualTo(contents(dir));
    }

    @Test
    void restore_skipsCheckpointWithCorruptObject_andRestoresThePreviousOne() throws IOException {
        Path dir = checkpointDir();
        CheckpointStore checkpoints = checkpoints(store);
        UploadResult first = checkpoints.upload(dir, "i-0aaa");
        Map<String, byte[]> firstContents = contents(dir);
        write(dir.resolve("shards/shard-5.json"), 3000);
        UploadResult second = checkpoints.upload(dir, "i-0aaa");
        ManifestFile.Extent extent = second.manifest().file("shards/shard-5.json").orElseThrow().extents().get(0);
        byte[] tampered = store.getBytes(extent.key()).orElseThrow();
        tampered[(int) extent.offset() + 100] ^= 1;
        client.putObject(b -> b.bucket(store.bucket()).key(extent.key()), RequestBody.fromBytes(tampered));

        RestoreResult restored = checkpoints(store).restore(work.resolve("restored"));

        assertThat(restored.checkpointId()).isEqualTo(first.manifest().id());
        assertThat(restored.skipped()).singleElement().satisfies(s -> {
            assertThat(s.checkpointId()).isEqualTo(second.manifest().id());
            assertThat(s.reason()).contains("checksum mismatch for shards/shard-5.json");
        });
        assertThat(contents(work.resolve("restored"))).isEqualTo(firstContents);
    }

    @Test
    void restore_skipsCheckpointWithMissingObject() throws IOException {
        Path dir = checkpointDir();
        CheckpointStore checkpoints = checkpoints(store);
        UploadResult first = checkpoints.upload(dir, "i-0aaa");
        write(dir.resolve("model.bin"), 9 * MIB);
        UploadResult second = checkpoints.upload(dir, "i-0aaa");
        String key = second.manifest().file("model.bin").orElseThrow().extents().get(1).key();
        client.deleteObject(b -> b.bucket(store.bucket()).key(key));

        RestoreResult restored = checkpoints(store).restore(work.resolve("restored"));

        assertThat(restored.checkpointId()).isEqualTo(first.manifest().id());
        assertThat(restored.skipped()).singleElement().extracting(RestoreResult.Skipped::reason).asString()
                .contains("is missing");
    }

    @Test
    void interruptedUpload_leavesThePreviousCheckpointTheNewestComplete() throws IOException {
        Path dir = checkpointDir();
        UploadResult first = checkpoints(store).upload(dir, "i-0aaa");
        write(dir.resolve("model.bin"), 22 * MIB);
        for (int i = 0; i < 20; i++) {
            write(dir.resolve("shards/shard-" + i + ".json"), 900);
        }
        RecordingStore dying = new RecordingStore(store, 3);
        CheckpointStore checkpoints = checkpoints(dying);
        checkpoints.restore(work.resolve("unused"));

        assertThatThrownBy(() -> checkpoints.upload(dir, "i-0aaa")).isInstanceOf(SpotkeeperException.class)
                .hasMessageContaining("connection lost");

        assertThat(dying.completedWrites).noneMatch(k -> k.endsWith("manifest.json"));
        assertThat(checkpoints(store).latestComplete()).map(Manifest::id).contains(first.manifest().id());
        RestoreResult restored = checkpoints(store).restore(work.resolve("restored"));
        assertThat(restored.checkpointId()).isEqualTo(first.manifest().id());
        assertThat(restored.skipped()).singleElement().extracting(RestoreResult.Skipped::reason).asString()
                .startsWith("incomplete");
    }

    @Test
    void failedRestore_leavesTheTargetDirectoryUntouched() throws IOException {
        Path dir = checkpointDir();
        UploadResult only = checkpoints(store).upload(dir, "i-0aaa");
        String key = only.manifest().file("optimizer/state.bin").orElseThrow().extents().get(0).key();
        client.putObject(b -> b.bucket(store.bucket()).key(key), RequestBody.fromBytes(new byte[(int) (3 * MIB)]));
        Path target = work.resolve("existing");
        write(target.resolve("mine.txt"), 10);
        Map<String, byte[]> before = contents(target);

        RestoreResult restored = checkpoints(store).restore(target);

        assertThat(restored.restored()).isEmpty();
        assertThat(restored.skipped()).hasSize(1);
        assertThat(contents(target)).isEqualTo(before);
        assertThat(target.resolveSibling("existing.restoring")).doesNotExist();
    }

    @Test
    void checkpointInTheVersion1Layout_restores_andTheNextUploadSendsOnlyChangedChunks() throws IOException {
        byte[] model = new byte[(int) (12 * MIB + 7)];
        random.nextBytes(model);
        byte[] notes = "step 41\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String files = "checkpoints/train/ckpt-0000000001-i-0old/files/";
        store.putBytes(files + "model.bin", model);
        store.putBytes(files + "notes.txt", notes);
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (int offset = 0; offset < model.length; offset += (int) (5 * MIB)) {
            parts.add(Digests.hex(java.util.Arrays.copyOfRange(model, offset, (int) Math.min(model.length, offset + 5 * MIB))));
        }
        String v1 = "{\"workload\":\"train\",\"id\":\"ckpt-0000000001-i-0old\",\"sequence\":1,"
                + "\"createdAt\":\"2026-02-01T10:00:00Z\",\"instanceId\":\"i-0old\",\"files\":["
                + "{\"path\":\"model.bin\",\"size\":" + model.length + ",\"sha256\":\"" + Digests.composite(parts)
                + "\",\"key\":\"" + files + "model.bin\",\"partSize\":" + 5 * MIB + ",\"parts\":[\""
                + String.join("\",\"", parts) + "\"]},"
                + "{\"path\":\"notes.txt\",\"size\":" + notes.length + ",\"sha256\":\"" + Digests.hex(notes)
                + "\",\"key\":\"" + files + "notes.txt\"}]}";
        store.putBytes("checkpoints/train/ckpt-0000000001-i-0old/manifest.json", v1.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path target = work.resolve("restored");
        CheckpointStore replacement = checkpoints(store);

        assertThat(replacement.restore(target).checkpointId()).isEqualTo("ckpt-0000000001-i-0old");
        assertThat(Files.readAllBytes(target.resolve("model.bin"))).isEqualTo(model);
        assertThat(Files.readAllBytes(target.resolve("notes.txt"))).isEqualTo(notes);

        try (RandomAccessFile f = new RandomAccessFile(target.resolve("model.bin").toFile(), "rw")) {
            f.seek(6 * MIB);
            f.write(new byte[100]);
        }
        UploadResult next = replacement.upload(target, "i-0new");

        assertThat(next.bytesSent()).isEqualTo(5 * MIB);
        assertThat(next.manifest().file("model.bin").orElseThrow().extents()).extracting(ManifestFile.Extent::key)
                .containsExactly(files + "model.bin", "checkpoints/train/" + next.manifest().id() + "/chunks/model.bin/000001",
                        files + "model.bin");
        Path again = work.resolve("again");
        assertThat(checkpoints(store).restore(again).checkpointId()).isEqualTo(next.manifest().id());
        assertThat(contents(again)).isEqualTo(contents(target));
    }

    @Test
    void plan_countsChangedBytes_andSaysWhetherTheyFit() throws IOException {
        Path dir = checkpointDir();
        CheckpointStore checkpoints = checkpoints(store);
        UploadPlan fresh = checkpoints.plan(dir);
        assertThat(fresh.measured()).isFalse();
        assertThat(fresh.changedBytes()).isEqualTo(contents(dir).values().stream().mapToLong(b -> b.length).sum());
        checkpoints.upload(dir, "i-0aaa");
        write(dir.resolve("optimizer/state.bin"), 3 * MIB);

        UploadPlan plan = checkpoints.plan(dir);

        assertThat(plan.changedBytes()).isEqualTo(3 * MIB);
        assertThat(plan.changedFiles()).isEqualTo(1);
        UploadPlan slow = new UploadPlan(150_000_000L, 1, 1_000_000, false);
        assertThat(slow.fits(java.time.Duration.ofSeconds(110))).isFalse();
        assertThat(slow.fits(java.time.Duration.ofSeconds(151))).isTrue();
    }

    private static java.util.Set<String> keys(Manifest m) {
        return m.files().stream().flatMap(f -> f.extents().stream()).map(ManifestFile.Extent::key)
                .collect(java.util.stream.Collectors.toSet());
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> map = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                map.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return new TreeMap<>(map) {
            @Override
            public boolean equals(Object o) {
                if (!(o instanceof Map<?, ?> other) || !other.keySet().equals(keySet())) {
                    return false;
                }
                return keySet().stream().allMatch(k -> java.util.Arrays.equals(get(k), (byte[]) other.get(k)));
            }

            @Override
            public int hashCode() {
                return keySet().hashCode();
            }
        };
    }
}
