package dev.spotkeeper.cli.job;

import java.util.Locale;

/**
 * The training-like job the interruption tests run: a chain of steps where each state depends on the previous one,
 * so a step lost or done twice changes the result ({@code steps N state X} in {@code result.txt}). The state is
 * written only in the checkpoint handshake (write, then rename), so the agent never uploads a file being rewritten;
 * a restart resumes from whichever complete checkpoint it is given. Each step takes 0.4 s.
 */
public final class ChainJob {
    private static final String SPEC = """
            name: %1$s
            requirements:
              regions: [us-east-1]
              types: [m5.large, c5.large, m5.xlarge]
            placement:
              strategy: lowest-price
            maxDuration: %5$s
            buckets:
              checkpoints: s3://%2$s/checkpoints
              results: s3://%3$s/results/%1$s
            run: >-
              d="$SPOTKEEPER_CHECKPOINT_DIR"; set -- $(cat "$d/state" 2>/dev/null || echo 0 7); i=$1; x=$2;
              echo "training from step $i";
              trap 'echo "$i $x" > "$d/state.tmp"; mv "$d/state.tmp" "$d/state"; touch "$d/.spotkeeper-ready"' USR1;
              while [ "$i" -lt %4$d ]; do x=$(( (x * 31 + i * i + 7) %% 1000003 )) i=$((i + 1)); echo "step $i";
              awk "BEGIN{print $i/%4$d}" > "$d/../progress"; sleep 0.4; done;
              mkdir -p "$SPOTKEEPER_RESULTS_DIR"; echo "steps $i state $x" > "$SPOTKEEPER_RESULTS_DIR/result.txt";
              echo "training done"
            checkpoint:
              dir: checkpoint
              signal: SIGUSR1
              syncInterval: 5s
            """;

    private ChainJob() {
    }

    /**
     * The job's YAML: checkpoints under {@code s3://checkpointBucket/checkpoints}, results under
     * {@code s3://resultsBucket/results/NAME}, {@code steps} steps, at most {@code maxDuration} (e.g. {@code 15m}).
     */
    public static String yaml(String name, String checkpointBucket, String resultsBucket, int steps,
                              String maxDuration) {
        return String.format(Locale.ROOT, SPEC, name, checkpointBucket, resultsBucket, steps, maxDuration);
    }
}
