package dev.spotkeeper.cli;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.io.MarketFile;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.emulator.LocalEmulator;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spotkeeper emulator}: the local AWS emulator with a live spot market. */
@Command(name = "emulator", mixinStandardHelpOptions = true,
        description = "The local AWS emulator: EC2 with a live, seeded spot market, instances as local processes.",
        subcommands = {EmulatorCommand.Start.class})
public final class EmulatorCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code spotkeeper emulator start}: runs in the foreground until Ctrl-C. */
    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start the emulator on 127.0.0.1 and print the settings that point AWS tools at it. "
                    + "Runs until Ctrl-C; needs no AWS account or credentials.")
    public static final class Start implements Callable<Integer> {
        static final double MAX_TIME_SCALE = 3600;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--port", paramLabel = "P", defaultValue = "4566",
                description = "Port of the single endpoint for every service (0 = any free port). Default: ${DEFAULT-VALUE}.")
        int port;

        @Option(names = "--market", paramLabel = "FILE",
                description = "Market data (spotkeeper CSV/JSON or a SpotLake CSV). Default: the shipped SpotLake snapshot.")
        Path market;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
                description = "Seed of the market's interruptions and price moves; same seed, same market. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--time-scale", paramLabel = "X", defaultValue = "1",
                description = "Market hours per wall-clock hour (60 = one market hour per minute). Default: ${DEFAULT-VALUE}.")
        double timeScale;

        @Option(names = "--scale-warning",
                description = "Shrink the two-minute interruption warning with --time-scale (default: always two real minutes).")
        boolean scaleWarning;

        @Option(names = "--boot-delay", paramLabel = "SECONDS", defaultValue = "3",
                description = "How long instances stay pending. Default: ${DEFAULT-VALUE}.")
        double bootDelay;

        @Option(names = "--vcpu-quota", paramLabel = "N", defaultValue = "256",
                description = "vCPUs allowed in live instances, spot and on-demand each (VcpuLimitExceeded past it). Default: ${DEFAULT-VALUE}.")
        int vcpuQuota;

        @Option(names = "--no-traces",
                description = "Do not replay the shipped p3.2xlarge traces in their nine zones; model those pools like every other.")
        boolean noTraces;

        @Option(names = "--no-services",
                description = "Start EC2 and IMDS only: no S3, SQS, DynamoDB, FIS or event delivery (starts faster).")
        boolean noServices;

        @Option(names = "--work-dir", paramLabel = "DIR",
                description = "Where instances get their work directories and console logs. Default: a new temporary directory.")
        Path workDir;

        @Override
        public Integer call() throws Exception {
            check();
            LocalEmulator.Builder builder = LocalEmulator.builder().port(port).seed(seed).timeScale(timeScale)
                    .scaleWarning(scaleWarning).bootDelay(Duration.ofMillis(Math.round(bootDelay * 1000)))
                    .vcpuQuota(vcpuQuota).traces(!noTraces).services(!noServices)
                    .market(market == null ? ShippedMarket.spotLake() : MarketFile.read(market, ShippedMarket.catalog()));
            if (workDir != null) {
                builder.workDirectory(workDir);
            }
            LocalEmulator emulator;
            try {
                emulator = builder.start();
            } catch (BindException e) {
                throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "port " + port + " on 127.0.0.1 is in use; "
                        + "choose another with --port, or --port 0 for any free port");
            }
            return serve(emulator);
        }

        private void check() {
            if (port < 0 || port > 65_535) {
                throw SpotkeeperException.invalidArgument("--port must be 0..65535, was " + port);
            }
            if (!(timeScale > 0) || timeScale > MAX_TIME_SCALE) {
                // beyond an hour per second the market's one-minute steps would outrun the machine
                throw SpotkeeperException.invalidArgument("--time-scale must be a positive number up to "
                        + (int) MAX_TIME_SCALE + ", was " + timeScale);
            }
            if (!(bootDelay >= 0) || bootDelay > 3600) {
                throw SpotkeeperException.invalidArgument("--boot-delay must be 0..3600 seconds, was " + bootDelay);
            }
            if (vcpuQuota < 1) {
                throw SpotkeeperException.invalidArgument("--vcpu-quota must be at least 1, was " + vcpuQuota);
            }
        }

        /** Prints the settings, then waits for Ctrl-C (a shutdown hook) or an interrupt, and stops everything. */
        private int serve(LocalEmulator emulator) {
            PrintWriter out = spec.commandLine().getOut();
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                emulator.close();
                stopped.countDown();
            }, "spotkeeper-emulator-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("spotkeeper emulator listening on " + emulator.endpoint() + " (Ctrl-C to stop)");
            out.println();
            emulator.describe().forEach(out::println);
            out.flush();
            boolean interrupted = false;
            try {
                stopped.await();
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is already running and closes the emulator itself
                }
                if (stopped.getCount() > 0) {
                    // closed with the interrupt flag clear: the embedded servers wait for their threads to stop
                    emulator.close();
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            out.println("spotkeeper emulator stopped");
            out.flush();
            return 0;
        }
    }
}
