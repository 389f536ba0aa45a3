package dev.spotkeeper.cli.job;

import dev.spotkeeper.core.ledger.CostKind;
import dev.spotkeeper.core.ledger.CostLedger;
import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code spotkeeper cost NAME}: what the workload cost, by kind, and what it saved against on-demand. */
@Command(name = "cost", mixinStandardHelpOptions = true,
        description = "Show what a workload cost: spot, on-demand, storage, transfer and a service's Elastic IP"
                + " dollars, and the savings against running all of it on-demand. Compute, checkpoint storage and the"
                + " Elastic IP are billed per hour, and the hour still running is counted up to now (the figure `list`"
                + " and `status` show); transfer between regions when it happens.")
public final class CostCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeploymentOptions deployment;

    @Parameters(index = "0", paramLabel = "NAME", description = "Workload name.")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (JobBackend backend = JobBackends.open(deployment)) {
            WorkloadRecord w = Jobs.workload(backend, name);
            CostLedger ledger = new CostLedger(name);
            // Only this submission's: a name submitted again does not carry the earlier run's spend.
            backend.store().ledger(name).stream().filter(w::isCurrent).forEach(ledger::add);
            // What runs now: the entries the next hourly billing will write, so a running job does not show $0.
            double unbilled = 0;
            for (LedgerEntry e : Jobs.controller(backend).unbilled(name)) {
                ledger.add(e);
                unbilled += e.amount();
            }
            CostLedger.Summary s = ledger.summary();
            out.println("cost of " + name);
            for (CostKind k : CostKind.values()) {
                out.println(String.format(Locale.ROOT, "  %-10s %10s", k.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                        Jobs.dollars(s.byKind().get(k))));
            }
            out.println(String.format(Locale.ROOT, "  %-10s %10s  (%.2f instance-hours)", "total", Jobs.dollars(s.total()),
                    s.computeHours()));
            out.println(String.format(Locale.ROOT, "  all on-demand would have cost %s: saved %s (%.0f %%)",
                    Jobs.dollars(s.allOnDemand()), Jobs.dollars(s.savings()), s.savingsFraction() * 100));
            out.println("  (that comparison counts compute and storage; transfer between regions comes from spot moves"
                    + " and only lowers the savings)");
            if (unbilled > 0) {
                out.println("  (" + Jobs.dollars(unbilled) + " of it not billed yet: the running instances' time, the"
                        + " checkpoint storage and the Elastic IP since their last hourly entry)");
            }
            out.flush();
            return 0;
        }
    }
}
