package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.cloud.QueueMessage;
import dev.spotkeeper.core.lifecycle.InstanceState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The controller's steps for a function: a batch someone else received, and a reconcile pass that reads no event. */
class BatchHandlingTest {
    @Test
    void handle_handlesABatchWithoutReceivingOrDeleting_andReportsNothingFailedForMalformedOrUnknownMessages() {
        Harness h = new Harness();
        h.submit(Harness.spec("train").build());
        h.controller.reconcilePass();
        String first = h.head("train").instanceId();
        QueueMessage started = new QueueMessage(h.report(first, "train", "started", Map.of()), "r-1");
        QueueMessage malformed = new QueueMessage("{not json", "r-2");
        QueueMessage unknown = new QueueMessage(h.warning("i-nobody"), "r-3");

        BatchResult result = h.controller.handle(List.of(started, malformed, unknown));

        assertThat(result.failed()).isEmpty();
        assertThat(result.summary()).isEqualTo(new RunSummary(3, 1, 0, 1, 1, 0));
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(h.queue.deleted()).as("the event source deletes, not the controller").isEmpty();
    }

    @Test
    void handle_reportsTheMessagesWhoseHandlingFailed_andADuplicateOfAHandledOneIsNotAFailure() {
        Harness h = new Harness();
        h.submit(Harness.spec("train").build());
        h.controller.reconcilePass();
        String first = h.head("train").instanceId();
        h.controller.handle(List.of(new QueueMessage(h.report(first, "train", "restored", Map.of("checkpoint", "")), "r")));
        String warning = h.warning(first);

        h.store.setBroken(true);
        QueueMessage copy = new QueueMessage(warning, "r-1");
        BatchResult broken = h.controller.handle(List.of(copy));
        assertThat(broken.failed()).containsExactly(copy);

        h.store.setBroken(false);
        BatchResult again = h.controller.handle(List.of(new QueueMessage(warning, "r-2"), new QueueMessage(warning, "r-3")));
        assertThat(again.failed()).isEmpty();
        assertThat(again.summary().handled() + again.summary().duplicates()).isEqualTo(2);
        assertThat(h.instance(first).replacedBy()).isNotEmpty();
        assertThat(h.instances("train")).hasSize(2);
    }

    @Test
    void reconcilePass_launchesWhatWasSubmitted_andLeavesTheQueueToTheEventsFunction() {
        Harness h = new Harness();
        h.send(h.warning("i-nobody"));
        h.submit(Harness.spec("train").build());

        RunSummary s = h.controller.reconcilePass();

        assertThat(s).isEqualTo(new RunSummary(0, 0, 0, 0, 0, 0));
        assertThat(h.instances("train")).hasSize(1);
        assertThat(h.queue.visibleCount()).as("no message read").isEqualTo(1);
    }
}
