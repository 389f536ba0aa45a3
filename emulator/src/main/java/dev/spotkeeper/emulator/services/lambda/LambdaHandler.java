package dev.spotkeeper.emulator.services.lambda;

import com.sun.net.httpserver.HttpExchange;
import dev.spotkeeper.emulator.json.JsonWire;
import dev.spotkeeper.emulator.spi.ServiceHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Lambda API (2015-03-31, REST-JSON) at the edge under the signing name {@code lambda}: CreateFunction
 * ({@code POST /2015-03-31/functions}, code as {@code ZipFile}), GetFunction, ListFunctions, DeleteFunction and
 * Invoke ({@code RequestResponse}, {@code Event}, {@code DryRun}).
 */
final class LambdaHandler implements ServiceHandler {
    static final List<String> ACTIONS = List.of("CreateFunction", "GetFunction", "ListFunctions", "DeleteFunction",
            "Invoke", "CreateEventSourceMapping", "GetEventSourceMapping", "ListEventSourceMappings",
            "DeleteEventSourceMapping");
    private static final String MAPPINGS = "/2015-03-31/event-source-mappings";
    private static final String BASE = "/2015-03-31/functions";
    private static final DateTimeFormatter MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);

    private static final class Refused extends RuntimeException {
        final String type;
        final int status;

        Refused(String type, int status, String message) {
            super(message);
            this.type = type;
            this.status = status;
        }
    }

    private final LambdaFunctions functions;
    private final EventSourceMappings mappings;

    LambdaHandler(LambdaFunctions functions, EventSourceMappings mappings) {
        this.functions = functions;
        this.mappings = mappings;
    }

    @Override
    public String service() {
        return "lambda";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (Refused e) {
            error(exchange, e.type, e.status, e.getMessage());
        } catch (LambdaFunctions.NotFound e) {
            error(exchange, "ResourceNotFoundException", 404, e.getMessage());
        } catch (LambdaFunctions.Conflict e) {
            error(exchange, "ResourceConflictException", 409, e.getMessage());
        } catch (IllegalArgumentException e) {
            error(exchange, "InvalidParameterValueException", 400, e.getMessage());
        } catch (RuntimeException e) {
            error(exchange, "ServiceException", 500, "The emulator failed to handle the request: "
                    + e.getClass().getSimpleName());
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (path.startsWith(MAPPINGS)) {
            mappings(exchange, method, path.substring(MAPPINGS.length()).replaceAll("^/+|/+$", ""));
            return;
        }
        if (!path.startsWith(BASE)) {
            throw new Refused("UnknownOperationException", 404, "The emulator's Lambda serves " + String.join(", ",
                    ACTIONS) + " under " + BASE);
        }
        String rest = path.substring(BASE.length()).replaceAll("/+$", "");
        if (rest.isEmpty()) {
            if (method.equals("POST")) {
                reply(exchange, 201, configuration(create(body(exchange))));
            } else if (method.equals("GET")) {
                List<Object> list = new ArrayList<>();
                functions.list().forEach(f -> list.add(configuration(f)));
                reply(exchange, 200, Map.of("Functions", list));
            } else {
                throw new Refused("UnknownOperationException", 405, method + " " + path + " is not an action");
            }
            return;
        }
        String[] parts = rest.substring(1).split("/");
        String name = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        if (parts.length == 1 && method.equals("GET")) {
            LambdaFunctions.Function f = functions.get(name).orElseThrow(() -> new LambdaFunctions.NotFound(name));
            reply(exchange, 200, Map.of("Configuration", configuration(f), "Code", Map.of("RepositoryType", "S3",
                    "Location", "file://lambda/" + f.name() + "/code.zip")));
        } else if (parts.length == 1 && method.equals("DELETE")) {
            functions.delete(name);
            exchange.sendResponseHeaders(204, -1);
        } else if (parts.length == 2 && parts[1].equals("invocations") && method.equals("POST")) {
            invoke(exchange, name);
        } else {
            throw new Refused("UnknownOperationException", 404, method + " " + path + " is not an action the emulator's"
                    + " Lambda serves (" + String.join(", ", ACTIONS) + ")");
        }
    }

    private void invoke(HttpExchange exchange, String name) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
        String payload = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (functions.get(name).isEmpty()) {
            throw new LambdaFunctions.NotFound(name);
        }
        if ("DryRun".equals(type)) {
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        if ("Event".equals(type)) {
            functions.invokeAsync(name, payload);
            exchange.sendResponseHeaders(202, -1);
            return;
        }
        if (type != null && !type.equals("RequestResponse")) {
            throw new IllegalArgumentException("X-Amz-Invocation-Type must be RequestResponse, Event or DryRun");
        }
        LambdaFunctions.Result r = functions.invoke(name, payload);
        exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
        if (r.failed()) {
            exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
        }
        send(exchange, 200, r.payload().getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private void mappings(HttpExchange exchange, String method, String id) throws IOException {
        if (mappings == null) {
            throw new Refused("ServiceException", 500, "The emulator's Lambda has no SQS to map (start SQS before it)");
        }
        if (id.isEmpty() && method.equals("POST")) {
            Map<String, Object> in = body(exchange);
            boolean report = in.get("FunctionResponseTypes") instanceof List<?> types
                    && types.contains("ReportBatchItemFailures");
            int batch = in.get("BatchSize") instanceof Number n ? n.intValue() : 10;
            reply(exchange, 202, mapping(mappings.create(string(in, "EventSourceArn"), string(in, "FunctionName"),
                    batch, report), "Enabled"));
        } else if (id.isEmpty() && method.equals("GET")) {
            List<Object> list = new ArrayList<>();
            mappings.list().forEach(m -> list.add(mapping(m, "Enabled")));
            reply(exchange, 200, Map.of("EventSourceMappings", list));
        } else if (!id.isEmpty() && method.equals("GET")) {
            reply(exchange, 200, mapping(mappings.get(id).orElseThrow(() -> new Refused("ResourceNotFoundException", 404,
                    "The resource you requested does not exist.")), "Enabled"));
        } else if (!id.isEmpty() && method.equals("DELETE")) {
            if (mappings.get(id).isEmpty()) {
                throw new Refused("ResourceNotFoundException", 404, "The resource you requested does not exist.");
            }
            reply(exchange, 202, mapping(mappings.delete(id), "Deleting"));
        } else {
            throw new Refused("UnknownOperationException", 404, method + " " + MAPPINGS + "/" + id + " is not an action");
        }
    }

    private static Map<String, Object> mapping(EventSourceMappings.Mapping m, String state) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("UUID", m.uuid());
        out.put("EventSourceArn", m.eventSourceArn());
        out.put("FunctionArn", m.functionArn());
        out.put("BatchSize", m.batchSize());
        out.put("State", state);
        out.put("FunctionResponseTypes", m.reportBatchItemFailures() ? List.of("ReportBatchItemFailures") : List.of());
        return out;
    }

    @SuppressWarnings("unchecked")
    private LambdaFunctions.Function create(Map<String, Object> in) {
        Map<String, Object> code = in.get("Code") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        byte[] bytes;
        if (code.get("ZipFile") instanceof String zip) {
            try {
                bytes = Base64.getDecoder().decode(zip);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Code.ZipFile is not base64");
            }
        } else if (code.containsKey("S3Bucket")) {
            throw new IllegalArgumentException("The emulator's CreateFunction takes the code as ZipFile; S3Bucket and"
                    + " S3Key are not served yet");
        } else {
            throw new IllegalArgumentException("Code is required (ZipFile)");
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (in.get("Environment") instanceof Map<?, ?> e && e.get("Variables") instanceof Map<?, ?> vars) {
            vars.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
        }
        int timeout = in.get("Timeout") instanceof Number n ? n.intValue() : 3;
        int memory = in.get("MemorySize") instanceof Number n ? n.intValue() : 128;
        return functions.create(string(in, "FunctionName"), string(in, "Runtime"), string(in, "Handler"), bytes,
                timeout, memory, env);
    }

    private static Map<String, Object> configuration(LambdaFunctions.Function f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("FunctionName", f.name());
        m.put("FunctionArn", f.arn());
        m.put("Runtime", f.runtime());
        m.put("Handler", f.handler());
        m.put("Timeout", f.timeoutSeconds());
        m.put("MemorySize", f.memorySize());
        m.put("CodeSize", f.codeSize());
        m.put("LastModified", MODIFIED.format(f.lastModified()));
        m.put("Version", "$LATEST");
        m.put("State", "Active");
        m.put("PackageType", "Zip");
        if (!f.environment().isEmpty()) {
            m.put("Environment", Map.of("Variables", f.environment()));
        }
        return m;
    }

    private static String string(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v instanceof String s ? s : null;
    }

    private static Map<String, Object> body(HttpExchange exchange) throws IOException {
        return JsonWire.body(exchange, m -> new Refused("InvalidRequestContentException", 400, m));
    }

    private static void error(HttpExchange exchange, String type, int status, String message) throws IOException {
        JsonWire.error(exchange, status, type, Map.of("Type", "User", "message", message), JsonWire.REST_JSON);
    }

    private static void reply(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        JsonWire.reply(exchange, status, body, JsonWire.REST_JSON);
    }

    private static void send(HttpExchange exchange, int status, byte[] bytes, String contentType) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }
}
