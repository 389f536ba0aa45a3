package dev.spotkeeper.core.workload;

import dev.spotkeeper.core.Names;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The signals the agent may send a job to ask for a checkpoint: the standard Linux signals of signal(7), written
 * with or without {@code SIG}, in any case, as {@code kill -s} takes them. KILL and STOP are refused: a job cannot
 * catch them, so it would be killed or frozen instead of saving its state.
 */
final class CheckpointSignals {
    private static final List<String> NAMES = List.of("HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");
    private static final List<String> UNCATCHABLE = List.of("KILL", "STOP");

    private CheckpointSignals() {
    }

    /** What is wrong with {@code signal} as a checkpoint request, or empty when it is one a job can catch. */
    static Optional<String> problem(String signal) {
        String name = signal.trim().toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
        if (UNCATCHABLE.contains(name)) {
            return Optional.of("SIG" + name + " cannot be caught, so the job would be "
                    + (name.equals("KILL") ? "killed" : "frozen") + " instead of saving a checkpoint; use SIGUSR1,"
                    + " SIGUSR2 or SIGTERM and save on it");
        }
        if (NAMES.contains(name)) {
            return Optional.empty();
        }
        List<String> catchable = NAMES.stream().filter(n -> !UNCATCHABLE.contains(n)).map(n -> "SIG" + n).toList();
        return Optional.of("'" + signal + "' is not a signal" + Names.didYouMean("SIG" + name, catchable)
                + "; the job is sent it to save a checkpoint, so use one it catches, most often SIGUSR1 (signals: "
                + String.join(", ", catchable) + ")");
    }
}
