package dev.spotkeeper.bench;

import dev.spotkeeper.agent.checkpoint.CheckpointStore;
import dev.spotkeeper.agent.checkpoint.TransferSettings;
import dev.spotkeeper.agent.checkpoint.UploadResult;
import dev.spotkeeper.awsclient.S3ObjectStore;
import dev.spotkeeper.cli.charts.BarChart;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * B3: uploads a checkpoint directory (one large file plus many small ones) to a local S3 server with spotkeeper's
 * checkpoint store and with {@code aws s3 cp --recursive}, alternating, then measures an incremental upload after
 * a part of the bytes changed.
 */
@Command(name = "evacuation", mixinStandardHelpOptions = true,
        description = "B3: checkpoint upload throughput against the AWS CLI (aws s3 cp --recursive) on a local S3 server, "
                + "and the bytes an incremental upload sends after 5 % of the bytes changed.")
final class EvacuationBench implements Callable<Integer> {
    static final double GOAL_RATIO = 1.5;
    static final double GOAL_INCREMENTAL = 0.10;
    private static final String BUCKET = "bench";
    private static final Path AWS = Path.of("/usr/bin/aws");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--size-gib", defaultValue = "2", description = "Checkpoint size in GiB: 3/4 in one file, the rest in the small files (default 2).")
    double sizeGib;

    @Option(names = "--small-files", defaultValue = "1000", description = "Number of small files (default 1000).")
    int smallFiles;

    @Option(names = "--runs", defaultValue = "3", description = "Uploads per tool, alternating (default 3).")
    int runs;

    @Option(names = "--change-percent", defaultValue = "5", description = "Percent of the bytes changed before the incremental upload (default 5).")
    double changePercent;

    @Option(names = "--out", defaultValue = "target/bench", description = "Where to write b3-evacuation.csv and .svg.")
    Path out;

    @Option(names = "--work", description = "Directory for the checkpoint and the server's data (default: a new temporary directory; the server's data goes to /dev/shm when it exists).")
    Path work;

    @Option(names = "--no-aws-cli", description = "Measure spotkeeper only (when /usr/bin/aws is not installed).")
    boolean noAwsCli;

    @Override
    public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        if (runs < 1 || smallFiles < 1 || !(sizeGib > 0) || !(changePercent > 0 && changePercent < 100)) {
            throw SpotkeeperException.invalidArgument("--runs and --small-files must be >= 1, --size-gib > 0, --change-percent in (0, 100)");
        }
        if (!noAwsCli && !Files.isExecutable(AWS)) {
            throw SpotkeeperException.invalidArgument("/usr/bin/aws is missing: install the AWS CLI v2 (apt-get install awscli) or pass --no-aws-cli");
        }
        Path base = work != null ? Files.createDirectories(work) : Files.createTempDirectory("spotkeeper-b3-");
        Path serverDir = work == null && Files.isDirectory(Path.of("/dev/shm"))
                ? Files.createTempDirectory(Path.of("/dev/shm"), "spotkeeper-b3-s3-") : base.resolve("s3");
        Path dir = base.resolve("checkpoint");
        ExecutorService pool = Executors.newFixedThreadPool(TransferSettings.defaults().parallelism());
        try (S3ProxyServer server = new S3ProxyServer(serverDir); S3Client s3 = server.client()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            long total = BenchData.create(dir, (long) (sizeGib * (1L << 30)), smallFiles, new Random(42));
            pw.printf(Locale.ROOT, "checkpoint: %s, %d files, %.2f GiB; S3Proxy at %s (data in %s)%n", dir, smallFiles + 1,
                    total / (double) (1L << 30), server.endpoint(), serverDir);
            pw.flush();
            AwsCli cli = noAwsCli ? null : new AwsCli(AWS, base, server);
            if (cli != null) {
                pw.println("peer: " + cli.version() + " with its default transfer settings");
                pw.flush();
            }
            double[] ours = new double[runs];
            double[] theirs = new double[runs];
            List<String> csv = new ArrayList<>(List.of("run,tool,seconds,bytes_sent,mb_per_s"));
            CheckpointStore last = null;
            for (int run = 0; run < runs; run++) {
                last = new CheckpointStore(new S3ObjectStore(s3, BUCKET), "spotkeeper/", "run-" + run, Clock.systemUTC(), pool,
                        TransferSettings.defaults());
                UploadResult r = last.upload(dir, "i-bench");
                ours[run] = r.seconds();
                line(pw, csv, run + 1, "spotkeeper", ours[run], r.bytesSent());
                if (cli != null) {
                    theirs[run] = cli.copy(dir, "s3://" + BUCKET + "/aws-cli/run-" + run + "/");
                    line(pw, csv, run + 1, "aws-cli", theirs[run], total);
                    deletePrefix(s3, "aws-cli/run-" + run + "/");
                }
                if (run < runs - 1) {
                    deletePrefix(s3, "spotkeeper/run-" + run + "/");
                }
            }
            long changed = BenchData.change(dir, changePercent / 100, new Random(43));
            UploadResult inc = last.upload(dir, "i-bench");
            double share = inc.bytesSent() / (double) total;
            line(pw, csv, 0, "spotkeeper-incremental", inc.seconds(), inc.bytesSent());
            double medOurs = median(ours);
            double medTheirs = cli == null ? Double.NaN : median(theirs);
            pw.printf(Locale.ROOT, "%nmedian upload: spotkeeper %.2f s (%.0f MB/s)", medOurs, total / medOurs / 1e6);
            if (cli != null) {
                pw.printf(Locale.ROOT, ", aws s3 cp %.2f s (%.0f MB/s); spotkeeper is %.2fx faster (goal >= %.1fx)",
                        medTheirs, total / medTheirs / 1e6, medTheirs / medOurs, GOAL_RATIO);
            }
            pw.printf(Locale.ROOT, "%nincremental after changing %.1f %% of the bytes (%d bytes): sent %d bytes = %.1f %% of %d "
                            + "(%d reused from the previous checkpoint) in %.2f s (goal <= %.0f %%)%n", changePercent, changed, inc.bytesSent(),
                    share * 100, total, inc.bytesReused(), inc.seconds(), GOAL_INCREMENTAL * 100);
            csv.add(String.format(Locale.ROOT, "median,spotkeeper,%.3f,%d,", medOurs, total));
            csv.add(String.format(Locale.ROOT, "median,aws-cli,%.3f,%d,", medTheirs, total));
            csv.add(String.format(Locale.ROOT, "ratio,aws-cli/spotkeeper,%.3f,,", medTheirs / medOurs));
            csv.add(String.format(Locale.ROOT, "incremental,share-of-bytes,%.4f,%d,", share, inc.bytesSent()));
            write(pw, csv, medOurs, medTheirs, inc);
            return 0;
        } finally {
            pool.shutdownNow();
            deleteTree(serverDir);
            if (work == null) {
                deleteTree(base);
            }
        }
    }

    private void write(PrintWriter pw, List<String> csv, double ours, double theirs, UploadResult inc) throws IOException {
        BarChart chart = new BarChart("B3 evacuation: median upload of the checkpoint (lower is better)", "s");
        chart.bar("spotkeeper (full)", ours, "#4C78A8");
        if (!Double.isNaN(theirs)) {
            chart.bar("aws s3 cp --recursive", theirs, "#F58518");
            chart.goal(theirs / GOAL_RATIO, "goal: 1.5x faster than the AWS CLI");
        }
        chart.bar("spotkeeper incremental", inc.seconds(), "#54A24B");
        Files.createDirectories(out);
        Files.write(out.resolve("b3-evacuation.csv"), csv);
        Files.writeString(out.resolve("b3-evacuation.svg"), chart.toSvg());
        pw.println("wrote " + out.resolve("b3-evacuation.csv") + " and " + out.resolve("b3-evacuation.svg"));
    }

    private static void line(PrintWriter pw, List<String> csv, int run, String tool, double seconds, long bytes) {
        pw.printf(Locale.ROOT, "run %d  %-24s %7.2f s  %,14d bytes  %7.1f MB/s%n", run, tool, seconds, bytes, bytes / seconds / 1e6);
        pw.flush();
        csv.add(String.format(Locale.ROOT, "%d,%s,%.3f,%d,%.1f", run, tool, seconds, bytes, bytes / seconds / 1e6));
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Frees the server's memory between runs (its data may live in /dev/shm). */
    private static void deletePrefix(S3Client s3, String prefix) {
        List<ObjectIdentifier> keys = new ArrayList<>();
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix))) {
            for (S3Object o : page.contents()) {
                keys.add(ObjectIdentifier.builder().key(o.key()).build());
            }
        }
        for (int i = 0; i < keys.size(); i += 1000) {
            List<ObjectIdentifier> batch = keys.subList(i, Math.min(keys.size(), i + 1000));
            s3.deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(batch).quiet(true)));
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "cannot clean up " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The checkpoint directory of the benchmark, and the change before the incremental upload. */
    static final class BenchData {
        private BenchData() {
        }

        /** One file of 3/4 of the bytes, the rest split evenly over {@code smallFiles} files; returns the total. */
        static long create(Path dir, long totalBytes, int smallFiles, Random random) throws IOException {
            deleteTree(dir);
            Files.createDirectories(dir.resolve("shards"));
            long big = totalBytes * 3 / 4;
            long each = (totalBytes - big) / smallFiles;
            byte[] buffer = new byte[8 << 20];
            try (var outStream = Files.newOutputStream(dir.resolve("model.bin"))) {
                for (long written = 0; written < big; written += buffer.length) {
                    random.nextBytes(buffer);
                    outStream.write(buffer, 0, (int) Math.min(buffer.length, big - written));
                }
            }
            byte[] small = new byte[(int) each];
            for (int i = 0; i < smallFiles; i++) {
                random.nextBytes(small);
                Files.write(dir.resolve(String.format(Locale.ROOT, "shards/shard-%05d.bin", i)), small);
            }
            return big + each * smallFiles;
        }

        /**
         * Changes {@code fraction} of the bytes the way training jobs do: one contiguous stretch of the large file is
         * rewritten (a layer's weights) and the same fraction of the small files is rewritten whole.
         */
        static long change(Path dir, double fraction, Random random) throws IOException {
            Path model = dir.resolve("model.bin");
            long size = Files.size(model);
            long length = (long) (size * fraction);
            byte[] data = new byte[(int) Math.min(length, 64 << 20)];
            try (RandomAccessFile f = new RandomAccessFile(model.toFile(), "rw")) {
                f.seek(size / 3);
                for (long done = 0; done < length; done += data.length) {
                    random.nextBytes(data);
                    f.write(data, 0, (int) Math.min(data.length, length - done));
                }
            }
            long changed = length;
            List<Path> shards;
            try (var list = Files.list(dir.resolve("shards"))) {
                shards = list.sorted().toList();
            }
            int count = (int) Math.round(shards.size() * fraction);
            for (int i = 0; i < count; i++) {
                Path shard = shards.get(i * shards.size() / Math.max(1, count));
                byte[] bytes = new byte[(int) Files.size(shard)];
                random.nextBytes(bytes);
                Files.write(shard, bytes);
                changed += bytes.length;
            }
            return changed;
        }
    }

    /** {@code /usr/bin/aws} with a throw-away config file, the generated credentials and the local endpoint. */
    private static final class AwsCli {
        private final Path aws;
        private final Path config;
        private final S3ProxyServer server;

        AwsCli(Path aws, Path base, S3ProxyServer server) throws IOException {
            this.aws = aws;
            this.server = server;
            this.config = base.resolve("aws-config");
            // Path-style addressing: the server is an IP address, not a bucket-per-host name.
            Files.writeString(config, "[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n");
        }

        /** What {@code aws --version} prints, e.g. {@code aws-cli/2.9.19 Python/3.11.2 ...}. */
        String version() throws IOException, InterruptedException {
            Process p = new ProcessBuilder(aws.toString(), "--version").redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return output;
        }

        double copy(Path dir, String target) throws IOException, InterruptedException {
            ProcessBuilder pb = new ProcessBuilder(aws.toString(), "s3", "cp", "--recursive", "--only-show-errors",
                    "--endpoint-url", server.endpoint(), dir.toString(), target).redirectErrorStream(true);
            var env = pb.environment();
            env.put("AWS_CONFIG_FILE", config.toString());
            env.put("AWS_SHARED_CREDENTIALS_FILE", config.resolveSibling("aws-no-credentials").toString());
            env.put("AWS_ACCESS_KEY_ID", server.accessKey);
            env.put("AWS_SECRET_ACCESS_KEY", server.secretKey);
            env.put("AWS_ENDPOINT_URL", server.endpoint());
            env.remove("AWS_PROFILE");
            env.remove("AWS_SESSION_TOKEN");
            long start = System.nanoTime();
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes());
            int code = p.waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (code != 0) {
                throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "aws s3 cp failed (exit " + code + "): " + output.trim());
            }
            return seconds;
        }
    }
}
