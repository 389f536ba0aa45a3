package dev.spotkeeper.cli.job;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code spotkeeper notify}: the workloads' notifications. */
@Command(name = "notify", mixinStandardHelpOptions = true,
        description = "Notifications of a workload's lifecycle (Slack, SNS, webhooks).",
        subcommands = {NotifyTestCommand.class})
public final class NotifyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
