package dev.spotkeeper.emulator.services.lambda;

import dev.spotkeeper.emulator.spi.StackResourceProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The Lambda resources of a CloudFormation stack on the emulator's Lambda runtime, through {@link LambdaFunctions}
 * and {@link EventSourceMappings}:
 * <ul>
 * <li>{@code AWS::Lambda::Function}: the code from the emulator's S3 ({@code Code.S3Bucket}, {@code S3Key}), runtime,
 *     handler, timeout, memory and environment variables; {@code Ref} the name, {@code Fn::GetAtt} {@code Arn}. What
 *     the runtime has no notion of (architecture, SnapStart, log configuration, the role) is kept with the stack.
 *     An update replaces the function's code and settings under its name.</li>
 * <li>{@code AWS::Lambda::Version}: a number counted per function; invoking the version runs the function's code
 *     (the emulator keeps one code per function). {@code Ref} the version's ARN, {@code Fn::GetAtt} {@code Version}.</li>
 * <li>{@code AWS::Lambda::EventSourceMapping}: an SQS mapping (batch size, {@code ReportBatchItemFailures});
 *     {@code Ref} its UUID.</li>
 * <li>{@code AWS::Lambda::Permission}: recorded (IAM and resource policies are not enforced).</li>
 * </ul>
 */
final class FunctionResources implements StackResourceProvider {
    private static final List<String> TYPES = List.of("AWS::Lambda::Function", "AWS::Lambda::Version",
            "AWS::Lambda::EventSourceMapping", "AWS::Lambda::Permission");

    private final LambdaFunctions functions;
    private final EventSourceMappings mappings;
    private final URI edge;
    private final Random random;
    private final Map<String, Integer> versions = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** @param mappings null when SQS did not start before Lambda (mappings are then refused) */
    FunctionResources(LambdaFunctions functions, EventSourceMappings mappings, URI edge, long seed) {
        this.functions = functions;
        this.mappings = mappings;
        this.edge = edge;
        this.random = new Random(seed);
    }

    @Override
    public boolean provides(String type) {
        return TYPES.contains(type);
    }

    @Override
    public Provisioned create(Request request) {
        return switch (request.type()) {
            case "AWS::Lambda::Function" -> function(request,
                    StackResourceProvider.physicalName(request, "FunctionName", 64, random));
            case "AWS::Lambda::Version" -> version(request);
            case "AWS::Lambda::EventSourceMapping" -> mapping(request);
            default -> {
                // a permission: no property names it, so its id is generated
                yield new Provisioned(StackResourceProvider.physicalName(request, "", 100, random), Map.of());
            }
        };
    }

    @Override
    public Provisioned update(Request request, Provisioned current) {
        if (request.type().equals("AWS::Lambda::Function")) {
            Object given = request.properties().get("FunctionName");
            if (given == null || given.equals(current.physicalId())) {
                functions.delete(current.physicalId());
                return function(request, current.physicalId());
            }
        }
        if (request.type().equals("AWS::Lambda::Permission")) {
            return current;
        }
        return create(request);
    }

    @Override
    public void delete(Request request, Provisioned current) {
        switch (request.type()) {
            case "AWS::Lambda::Function" -> {
                if (functions.get(current.physicalId()).isPresent()) {
                    functions.delete(current.physicalId());
                }
                synchronized (versions) {
                    versions.remove(current.physicalId());
                }
            }
            case "AWS::Lambda::EventSourceMapping" -> {
                if (mappings != null && mappings.get(current.physicalId()).isPresent()) {
                    mappings.delete(current.physicalId());
                }
            }
            default -> {
                // a version goes with its function; a permission is only a record
            }
        }
    }

    private Provisioned function(Request request, String name) {
        Map<String, Object> p = request.properties();
        byte[] code = code(request);
        Map<String, String> environment = new LinkedHashMap<>();
        if (p.get("Environment") instanceof Map<?, ?> e && e.get("Variables") instanceof Map<?, ?> vars) {
            vars.forEach((k, v) -> environment.put(String.valueOf(k), String.valueOf(v)));
        }
        LambdaFunctions.Function f = functions.create(name, text(p.get("Runtime")), text(p.get("Handler")), code,
                number(p.get("Timeout"), 3), number(p.get("MemorySize"), 128), environment);
        return new Provisioned(f.name(), Map.of("Arn", f.arn()));
    }

    private Provisioned version(Request request) {
        String given = text(request.properties().get("FunctionName"));
        LambdaFunctions.Function f = functions.get(given == null ? "" : given)
                .orElseThrow(() -> new LambdaFunctions.NotFound(String.valueOf(given)));
        int n;
        synchronized (versions) {
            n = versions.merge(f.name(), 1, Integer::sum);
        }
        String arn = f.arn() + ":" + n;
        return new Provisioned(arn, Map.of("Version", Integer.toString(n), "FunctionArn", arn));
    }

    private Provisioned mapping(Request request) {
        if (mappings == null) {
            throw new IllegalStateException("the emulator's Lambda maps SQS queues only when SQS runs");
        }
        Map<String, Object> p = request.properties();
        boolean report = p.get("FunctionResponseTypes") instanceof List<?> types
                && types.contains("ReportBatchItemFailures");
        EventSourceMappings.Mapping m = mappings.create(text(p.get("EventSourceArn")), text(p.get("FunctionName")),
                number(p.get("BatchSize"), 10), report);
        String arn = "arn:aws:lambda:" + request.region() + ":" + request.account() + ":event-source-mapping:"
                + m.uuid();
        return new Provisioned(m.uuid(), Map.of("Id", m.uuid(), "EventSourceMappingArn", arn));
    }

    /** The function's code: an object of the emulator's S3 (inline {@code ZipFile} source is not Java). */
    private byte[] code(Request request) {
        if (!(request.properties().get("Code") instanceof Map<?, ?> code)) {
            throw new IllegalArgumentException("Properties validation failed for resource " + request.logicalId()
                    + ": required key [Code] not found");
        }
        if (code.get("ZipFile") != null) {
            throw new IllegalArgumentException("Code.ZipFile in a template is source for interpreted runtimes; a Java"
                    + " function's code is a jar in S3 (Code.S3Bucket and Code.S3Key)");
        }
        String bucket = text(code.get("S3Bucket"));
        String key = text(code.get("S3Key"));
        if (bucket == null || key == null) {
            throw new IllegalArgumentException("Properties validation failed for resource " + request.logicalId()
                    + ": Code needs S3Bucket and S3Key");
        }
        String path = "/" + bucket + "/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20")
                .replace("%2F", "/");
        HttpRequest get = HttpRequest.newBuilder(edge.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=lambda/20150331/" + request.region()
                        + "/s3/aws4_request, SignedHeaders=host, Signature=0")
                .GET().build();
        HttpResponse<byte[]> r;
        try {
            r = http.send(get, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("the emulator's S3 did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (r.statusCode() != 200) {
            throw new IllegalArgumentException("Error occurred while GetObject. S3 Error Code: "
                    + (r.statusCode() == 404 ? "NoSuchKey" : "Status" + r.statusCode())
                    + ". S3 Error Message: the code s3://" + bucket + "/" + key + " cannot be read");
        }
        return r.body();
    }

    private static String text(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static int number(Object o, int otherwise) {
        if (o == null) {
            return otherwise;
        }
        try {
            return (int) Double.parseDouble(String.valueOf(o));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number, was " + o);
        }
    }
}
