package dev.spotkeeper.emulator.services.secrets;

import com.sun.net.httpserver.HttpExchange;
import dev.spotkeeper.emulator.json.JsonWire;
import dev.spotkeeper.emulator.spi.ServiceHandler;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Secrets Manager API (2017-10-17, JSON 1.1: {@code POST /} with {@code X-Amz-Target: secretsmanager.ACTION})
 * at the edge under the signing name {@code secretsmanager}: CreateSecret, GetSecretValue, PutSecretValue,
 * DescribeSecret and DeleteSecret. Dates are epoch seconds, as the protocol has them.
 */
final class SecretsManagerHandler implements ServiceHandler {
    static final String TARGET_PREFIX = "secretsmanager.";

    private final SecretVault vault;

    SecretsManagerHandler(SecretVault vault) {
        this.vault = vault;
    }

    @Override
    public String service() {
        return "secretsmanager";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            reply(exchange, 200, route(exchange));
        } catch (SecretsException e) {
            error(exchange, e.type(), e.status(), e.getMessage());
        } catch (RuntimeException e) {
            error(exchange, "InternalServiceError", 500, "The emulator failed to handle the request: "
                    + e.getClass().getSimpleName());
        }
    }

    private Map<String, Object> route(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
            throw new SecretsException("UnknownOperationException", 400, "Secrets Manager takes POST / with"
                    + " X-Amz-Target: secretsmanager.<Action>");
        }
        Map<String, Object> in = body(exchange);
        String action = target.substring(TARGET_PREFIX.length());
        return switch (action) {
            case "CreateSecret" -> {
                SecretVault.Secret s = vault.create(string(in, "Name"), string(in, "Description"),
                        string(in, "ClientRequestToken"), string(in, "SecretString"), string(in, "SecretBinary"));
                Map<String, Object> out = identity(s);
                s.staged(SecretVault.CURRENT).ifPresent(v -> out.put("VersionId", v.id()));
                yield out;
            }
            case "PutSecretValue" -> {
                String id = string(in, "SecretId");
                SecretVault.Version v = vault.put(id, string(in, "ClientRequestToken"), string(in, "SecretString"),
                        string(in, "SecretBinary"));
                Map<String, Object> out = identity(vault.describe(id));
                out.put("VersionId", v.id());
                out.put("VersionStages", v.stages());
                yield out;
            }
            case "GetSecretValue" -> {
                String id = string(in, "SecretId");
                SecretVault.Version v = vault.value(id, string(in, "VersionId"), string(in, "VersionStage"));
                Map<String, Object> out = identity(vault.describe(id));
                out.put("VersionId", v.id());
                if (v.string() != null) {
                    out.put("SecretString", v.string());
                }
                if (v.binary() != null) {
                    out.put("SecretBinary", v.binary());
                }
                out.put("VersionStages", v.stages());
                out.put("CreatedDate", epochSeconds(v.created()));
                yield out;
            }
            case "DescribeSecret" -> {
                SecretVault.Secret s = vault.describe(string(in, "SecretId"));
                Map<String, Object> out = identity(s);
                if (!s.description.isEmpty()) {
                    out.put("Description", s.description);
                }
                out.put("CreatedDate", epochSeconds(s.created));
                out.put("LastChangedDate", epochSeconds(s.changed));
                if (s.deletion != null) {
                    out.put("DeletedDate", epochSeconds(s.deletion));
                }
                Map<String, Object> stages = new LinkedHashMap<>();
                s.versions.forEach(v -> stages.put(v.id(), v.stages()));
                out.put("VersionIdsToStages", stages);
                yield out;
            }
            case "DeleteSecret" -> {
                Object force = in.get("ForceDeleteWithoutRecovery");
                if (force != null && !(force instanceof Boolean)) {
                    throw SecretsException.invalidParameter("ForceDeleteWithoutRecovery must be a boolean.");
                }
                Object days = in.get("RecoveryWindowInDays");
                if (days != null && !(days instanceof Long)) {
                    throw SecretsException.invalidParameter("RecoveryWindowInDays must be a whole number of days.");
                }
                SecretVault.Secret s = vault.delete(string(in, "SecretId"), (Long) days, Boolean.TRUE.equals(force));
                Map<String, Object> out = identity(s);
                out.put("DeletionDate", epochSeconds(s.deletion));
                yield out;
            }
            default -> throw new SecretsException("UnknownOperationException", 400, "The emulator's Secrets Manager"
                    + " does not have the action " + action + "; it has CreateSecret, GetSecretValue, PutSecretValue,"
                    + " DescribeSecret and DeleteSecret");
        };
    }

    private static Map<String, Object> identity(SecretVault.Secret s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ARN", s.arn);
        out.put("Name", s.name);
        return out;
    }

    private static double epochSeconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    private static String string(Map<String, Object> in, String key) {
        return JsonWire.string(in, key, SecretsException::invalidParameter);
    }

    private static Map<String, Object> body(HttpExchange exchange) throws IOException {
        return JsonWire.body(exchange, m -> new SecretsException("SerializationException", 400, m));
    }

    private static void error(HttpExchange exchange, String type, int status, String message) throws IOException {
        JsonWire.error(exchange, status, type, Map.of("__type", type, "message", message), JsonWire.AMZ_JSON_1_1);
    }

    private static void reply(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        JsonWire.reply(exchange, status, body, JsonWire.AMZ_JSON_1_1);
    }

    static List<String> actions() {
        return List.of("CreateSecret", "GetSecretValue", "PutSecretValue", "DescribeSecret", "DeleteSecret");
    }
}
