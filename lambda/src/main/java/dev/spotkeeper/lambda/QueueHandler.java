package dev.spotkeeper.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.spotkeeper.controller.BatchResult;
import dev.spotkeeper.controller.RunSummary;
import dev.spotkeeper.core.cloud.QueueMessage;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events function: one batch of the event queue, handed to the controller as its inbox would hand it, with
 * partial-batch failure reporting. The event source deletes the messages not reported; only the messages whose own
 * handling failed are reported, so SQS delivers only those again (and, after five receives, to the dead letters).
 * A malformed message is dropped with a log line, a duplicate recognised by its key: neither is a failure.
 */
public final class QueueHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final Functions functions;

    /** As Lambda makes it: the execution environment's controller. */
    public QueueHandler() {
        this(Functions.shared());
    }

    public QueueHandler(Functions functions) {
        this.functions = functions;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        Map<QueueMessage, String> ids = new IdentityHashMap<>();
        List<QueueMessage> messages = new ArrayList<>(records.size());
        for (SQSEvent.SQSMessage m : records) {
            QueueMessage q = new QueueMessage(m.getBody() == null ? "" : m.getBody(),
                    m.getReceiptHandle() == null ? "" : m.getReceiptHandle());
            ids.put(q, m.getMessageId());
            messages.add(q);
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        try {
            BatchResult result = functions.controller().handle(messages);
            for (QueueMessage failed : result.failed()) {
                failures.add(new SQSBatchResponse.BatchItemFailure(ids.get(failed)));
            }
            functions.log(summary(result.summary()));
        } catch (RuntimeException e) {
            // Nothing is known to be handled: every message is delivered again (keys make the handled ones duplicates).
            functions.log("batch of " + messages.size() + " failed, all left on the queue: " + e);
            records.forEach(m -> failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId())));
        }
        return new SQSBatchResponse(failures);
    }

    static String summary(RunSummary s) {
        return "batch: " + s.messages() + " messages, " + s.handled() + " handled, " + s.duplicates() + " duplicates, "
                + s.malformed() + " malformed, " + s.ignored() + " ignored, " + s.failed() + " failed";
    }
}
