package dev.spotkeeper.emulator.services.fis;

import com.sun.net.httpserver.HttpExchange;
import dev.spotkeeper.emulator.json.JsonWire;
import dev.spotkeeper.emulator.spi.ServiceHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The FIS REST-JSON API (2020-12-01) at the edge under the signing name {@code fis}. */
final class FisHandler implements ServiceHandler {
    private static final Pattern PATH = Pattern.compile("^/(experimentTemplates|experiments)(?:/([^/]+))?/?$");

    private final FisService service;
    private final FisJson json;

    FisHandler(FisService service, FisJson json) {
        this.service = service;
        this.json = json;
    }

    @Override
    public String service() {
        return "fis";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            reply(exchange, 200, route(exchange));
        } catch (FisException e) {
            error(exchange, e.type(), e.status(), e.getMessage());
        } catch (RuntimeException e) {
            error(exchange, "InternalServerException", 500, "The emulator failed to handle the request: " + e);
        }
    }

    private Map<String, Object> route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        Matcher m = PATH.matcher(exchange.getRequestURI().getRawPath());
        if (!m.matches()) {
            throw new FisException("UnknownOperationException", 404, "No FIS operation at " + method + " "
                    + exchange.getRequestURI().getRawPath());
        }
        boolean templates = m.group(1).equals("experimentTemplates");
        String id = m.group(2) == null ? null : URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
        String op = method + (id == null ? "" : " id");
        if (templates) {
            return switch (op) {
                case "POST" -> Map.of("experimentTemplate", json.template(service.createTemplate(body(exchange))));
                case "GET" -> page(exchange, service.templates(), json::templateSummary, "experimentTemplates");
                case "GET id" -> Map.of("experimentTemplate", json.template(service.template(id)));
                case "DELETE id" -> Map.of("experimentTemplate", json.template(service.deleteTemplate(id)));
                default -> throw unsupported(method, exchange);
            };
        }
        return switch (op) {
            case "POST" -> Map.of("experiment", json.experiment(service.start(body(exchange))));
            case "GET" -> page(exchange, service.experiments(), json::summary, "experiments");
            case "GET id" -> Map.of("experiment", json.experiment(service.experiment(id)));
            case "DELETE id" -> Map.of("experiment", json.experiment(service.stop(id)));
            default -> throw unsupported(method, exchange);
        };
    }

    private static FisException unsupported(String method, HttpExchange exchange) {
        return new FisException("UnknownOperationException", 404, "No FIS operation at " + method + " "
                + exchange.getRequestURI().getRawPath());
    }

    private static <T> Map<String, Object> page(HttpExchange exchange, List<T> all, Function<T, Map<String, Object>> render,
                                                String member) {
        Map<String, String> query = JsonWire.query(exchange.getRequestURI().getRawQuery());
        int start = parseInt(query.getOrDefault("nextToken", "0"), "nextToken");
        int max = parseInt(query.getOrDefault("maxResults", "100"), "maxResults");
        if (max < 1 || start < 0) {
            throw FisException.validation("maxResults must be at least 1 and nextToken come from a previous answer");
        }
        List<Object> items = new ArrayList<>();
        for (int i = start; i < Math.min(all.size(), start + max); i++) {
            items.add(render.apply(all.get(i)));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put(member, items);
        if (start + max < all.size()) {
            result.put("nextToken", String.valueOf(start + max));
        }
        return result;
    }

    private static int parseInt(String text, String name) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw FisException.validation(name + " '" + text + "' is not valid");
        }
    }

    private static Map<String, Object> body(HttpExchange exchange) throws IOException {
        return JsonWire.body(exchange, FisException::validation);
    }

    private static void error(HttpExchange exchange, String type, int status, String message) throws IOException {
        JsonWire.error(exchange, status, type, Map.of("message", message), JsonWire.REST_JSON);
    }

    private static void reply(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        JsonWire.reply(exchange, status, body, JsonWire.REST_JSON);
    }
}
