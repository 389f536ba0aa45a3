package dev.spotkeeper.emulator.services.lambda;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.services.events.SqsJsonClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * SQS event-source mappings: one poller thread per mapping receives up to its batch size (long polls of 1 s), invokes
 * the function with Lambda's SQS event and then deletes the batch; when the function fails, the whole batch stays (it
 * comes back after the visibility timeout); with {@code ReportBatchItemFailures}, the messages the function names in
 * {@code batchItemFailures} stay and the rest are deleted, as Lambda does.
 */
public final class EventSourceMappings implements AutoCloseable {
    /** A mapping as CreateEventSourceMapping describes it. */
    public record Mapping(String uuid, String eventSourceArn, String functionArn, int batchSize,
                          boolean reportBatchItemFailures) {
    }

    private final LambdaFunctions functions;
    private final SqsJsonClient sqs;
    private final String region;
    private final Map<String, Mapping> mappings = new LinkedHashMap<>();
    private final Map<String, Thread> pollers = new LinkedHashMap<>();

    EventSourceMappings(LambdaFunctions functions, SqsJsonClient sqs, String region) {
        this.functions = functions;
        this.sqs = sqs;
        this.region = region;
    }

    /** {@link IllegalArgumentException} for a source that is not an SQS queue ARN or a batch size outside 1..10. */
    public synchronized Mapping create(String eventSourceArn, String function, int batchSize,
                                       boolean reportBatchItemFailures) {
        if (eventSourceArn == null || !eventSourceArn.startsWith("arn:aws:sqs:")) {
            throw new IllegalArgumentException("The emulator maps SQS queues only (arn:aws:sqs:…), not " + eventSourceArn);
        }
        if (batchSize < 1 || batchSize > 10) {
            throw new IllegalArgumentException("BatchSize must be between 1 and 10 (without a batching window)");
        }
        LambdaFunctions.Function f = functions.get(function).orElseThrow(() -> new LambdaFunctions.NotFound(function));
        String url = sqs.queueUrl(eventSourceArn.substring(eventSourceArn.lastIndexOf(':') + 1));
        Mapping m = new Mapping(UUID.randomUUID().toString(), eventSourceArn, f.arn(), batchSize,
                reportBatchItemFailures);
        mappings.put(m.uuid(), m);
        Thread poller = new Thread(() -> poll(m, url), "lambda-esm-" + f.name());
        poller.setDaemon(true);
        pollers.put(m.uuid(), poller);
        poller.start();
        return m;
    }

    public synchronized Optional<Mapping> get(String uuid) {
        return Optional.ofNullable(mappings.get(uuid));
    }

    public synchronized List<Mapping> list() {
        return new ArrayList<>(mappings.values());
    }

    public Mapping delete(String uuid) {
        Mapping m;
        Thread poller;
        synchronized (this) {
            m = mappings.remove(uuid);
            poller = pollers.remove(uuid);
        }
        if (m == null) {
            throw new IllegalStateException("no mapping " + uuid);
        }
        poller.interrupt();
        return m;
    }

    private boolean active(Mapping m) {
        synchronized (this) {
            return mappings.containsKey(m.uuid());
        }
    }

    private void poll(Mapping m, String url) {
        while (active(m) && !Thread.currentThread().isInterrupted()) {
            try {
                List<Map<String, Object>> messages = sqs.receive(url, m.batchSize(), 1);
                if (!messages.isEmpty() && active(m)) {
                    handle(m, url, messages);
                }
            } catch (RuntimeException e) {
                if (!active(m)) {
                    return;
                }
                System.getLogger(EventSourceMappings.class.getName()).log(System.Logger.Level.WARNING,
                        "event source " + m.eventSourceArn() + ": " + e.getMessage());
                try {
                    Thread.sleep(1000); // back off before polling a failing queue again
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void handle(Mapping m, String url, List<Map<String, Object>> messages) {
        List<Object> records = new ArrayList<>();
        for (Map<String, Object> msg : messages) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("messageId", msg.get("MessageId"));
            r.put("receiptHandle", msg.get("ReceiptHandle"));
            r.put("body", msg.get("Body"));
            r.put("attributes", msg.getOrDefault("Attributes", Map.of()));
            r.put("messageAttributes", Map.of());
            r.put("md5OfBody", msg.get("MD5OfBody"));
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", m.eventSourceArn());
            r.put("awsRegion", region);
            records.add(r);
        }
        LambdaFunctions.Result result = functions.invoke(m.functionArn(), Json.write(Map.of("Records", records)));
        if (result.failed()) {
            return;
        }
        Set<String> keep = new HashSet<>();
        if (m.reportBatchItemFailures()) {
            Object parsed = result.payload().isBlank() ? null : Json.parse(result.payload());
            if (parsed instanceof Map<?, ?> out && out.get("batchItemFailures") instanceof List<?> failures) {
                for (Object f : failures) {
                    if (f instanceof Map<?, ?> item && item.get("itemIdentifier") instanceof String id) {
                        keep.add(id);
                    }
                }
            }
        }
        for (Map<String, Object> msg : messages) {
            if (!keep.contains(String.valueOf(msg.get("MessageId")))) {
                sqs.deleteMessage(url, (String) msg.get("ReceiptHandle"));
            }
        }
    }

    @Override
    public void close() {
        List<Thread> all;
        synchronized (this) {
            all = new ArrayList<>(pollers.values());
            mappings.clear();
            pollers.clear();
        }
        all.forEach(Thread::interrupt);
    }
}
