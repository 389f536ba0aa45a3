package dev.spotkeeper.emulator.services.secrets;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The emulator's secrets and their versions, as Secrets Manager keeps them: each secret has versions, one staged
 * {@code AWSCURRENT} and the one before it {@code AWSPREVIOUS}; a deleted secret is kept until its recovery
 * window ends (or removed at once when forced). Every change is written to one file that only its owner may read
 * or write (0600), in a directory of the same kind (0700); a value is never logged.
 */
final class SecretVault {
    static final String CURRENT = "AWSCURRENT";
    static final String PREVIOUS = "AWSPREVIOUS";
    /** Names as Secrets Manager allows them. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    private static final int MAX_VALUE_BYTES = 65_536;
    private static final String SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /** One version of a secret's value: a string or base64 bytes, as the request sent it. */
    record Version(String id, String string, String binary, Instant created, List<String> stages) {
        boolean sameValue(String otherString, String otherBinary) {
            return Objects.equals(string, otherString) && Objects.equals(binary, otherBinary);
        }
    }

    /** One secret. {@code deletion} is set while it is scheduled for deletion. */
    static final class Secret {
        final String name;
        final String arn;
        String description;
        final Instant created;
        Instant changed;
        Instant deletion;
        final List<Version> versions = new ArrayList<>();

        Secret(String name, String arn, String description, Instant created) {
            this.name = name;
            this.arn = arn;
            this.description = description;
            this.created = created;
            this.changed = created;
        }

        Optional<Version> staged(String stage) {
            return versions.stream().filter(v -> v.stages().contains(stage)).findFirst();
        }
    }

    private final Path file;
    private final Clock clock;
    private final String arnPrefix;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Secret> byName = new LinkedHashMap<>();

    SecretVault(Path file, Clock clock, String region, String account) {
        this.file = requireNonNull(file, "file is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.arnPrefix = "arn:aws:secretsmanager:" + region + ":" + account + ":secret:";
        load();
    }

    synchronized Secret create(String name, String description, String token, String string, String binary) {
        checkName(name);
        checkValue(string, binary);
        purgeExpired();
        Secret existing = byName.get(name);
        if (existing != null) {
            if (existing.deletion != null) {
                throw SecretsException.invalidRequest("You can't create this secret because a secret with this name"
                        + " is already scheduled for deletion.");
            }
            // A retried request (same token, same value) is answered as the first was.
            if (token != null && existing.versions.stream().anyMatch(v -> v.id().equals(token)
                    && v.sameValue(string, binary))) {
                return existing;
            }
            throw SecretsException.exists("The operation failed because the secret " + name + " already exists.");
        }
        Instant now = clock.instant();
        Secret s = new Secret(name, arnPrefix + name + "-" + suffix(), description == null ? "" : description, now);
        if (string != null || binary != null) {
            s.versions.add(new Version(versionId(token), string, binary, now, List.of(CURRENT)));
        }
        byName.put(name, s);
        save();
        return s;
    }

    synchronized Version put(String secretId, String token, String string, String binary) {
        if (string == null && binary == null) {
            throw SecretsException.invalidParameter("You must provide either SecretString or SecretBinary.");
        }
        checkValue(string, binary);
        Secret s = live(secretId);
        if (token != null) {
            for (Version v : s.versions) {
                if (v.id().equals(token)) {
                    if (v.sameValue(string, binary)) {
                        return v;
                    }
                    throw SecretsException.exists("A version with VersionId " + token + " already exists with a"
                            + " different value.");
                }
            }
        }
        Instant now = clock.instant();
        List<Version> kept = new ArrayList<>();
        for (Version v : s.versions) {
            if (v.stages().contains(CURRENT)) {
                kept.add(new Version(v.id(), v.string(), v.binary(), v.created(), List.of(PREVIOUS)));
            }
        }
        Version added = new Version(versionId(token), string, binary, now, List.of(CURRENT));
        kept.add(added);
        s.versions.clear();
        s.versions.addAll(kept);
        s.changed = now;
        save();
        return added;
    }

    /** The version asked for: by id, by stage, else the current one. */
    synchronized Version value(String secretId, String versionId, String stage) {
        Secret s = live(secretId);
        Optional<Version> v;
        if (versionId != null) {
            v = s.versions.stream().filter(x -> x.id().equals(versionId)
                    && (stage == null || x.stages().contains(stage))).findFirst();
        } else {
            v = s.staged(stage == null ? CURRENT : stage);
        }
        return v.orElseThrow(() -> new SecretsException("ResourceNotFoundException", 400,
                "Secrets Manager can't find the specified secret value for "
                        + (versionId != null ? "VersionId: " + versionId : "staging label: " + (stage == null ? CURRENT : stage))));
    }

    synchronized Secret describe(String secretId) {
        purgeExpired();
        return find(secretId);
    }

    synchronized Secret delete(String secretId, Long recoveryDays, boolean force) {
        if (force && recoveryDays != null) {
            throw SecretsException.invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with"
                    + " RecoveryWindowInDays.");
        }
        long days = recoveryDays == null ? 30 : recoveryDays;
        if (days < 7 || days > 30) {
            throw SecretsException.invalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days"
                    + " (inclusive).");
        }
        purgeExpired();
        Secret s = find(secretId);
        Instant now = clock.instant();
        if (force) {
            byName.remove(s.name);
            s.deletion = now;
        } else if (s.deletion == null) {
            s.deletion = now.plus(Duration.ofDays(days));
        }
        save();
        return s;
    }

    private Secret live(String secretId) {
        purgeExpired();
        Secret s = find(secretId);
        if (s.deletion != null) {
            throw SecretsException.invalidRequest("You can't perform this operation on the secret because it was"
                    + " marked for deletion.");
        }
        return s;
    }

    private Secret find(String secretId) {
        if (secretId == null || secretId.isEmpty()) {
            throw SecretsException.invalidParameter("SecretId is required.");
        }
        Secret s = byName.get(secretId);
        if (s == null) {
            s = byName.values().stream().filter(x -> x.arn.equals(secretId)).findFirst().orElse(null);
        }
        if (s == null) {
            throw SecretsException.notFound();
        }
        return s;
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        if (byName.values().removeIf(s -> s.deletion != null && !s.deletion.isAfter(now))) {
            save();
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw SecretsException.invalidParameter("Invalid name. Must be a valid name containing alphanumeric"
                    + " characters, or any of the following: -/_+=.@!");
        }
    }

    private static void checkValue(String string, String binary) {
        if (string != null && binary != null) {
            throw SecretsException.invalidParameter("You can't specify both a binary secret value and a string"
                    + " secret value in the same secret.");
        }
        String v = string != null ? string : binary;
        if (v != null && v.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            throw SecretsException.invalidParameter("The secret value is larger than 65536 bytes.");
        }
    }

    private String versionId(String token) {
        if (token == null) {
            return UUID.randomUUID().toString();
        }
        if (token.length() < 32 || token.length() > 64) {
            throw SecretsException.invalidParameter("ClientRequestToken must be 32 to 64 characters.");
        }
        return token;
    }

    private String suffix() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            sb.append(SUFFIX_CHARS.charAt(random.nextInt(SUFFIX_CHARS.length())));
        }
        return sb.toString();
    }

    // ---- the file

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            Map<String, Object> root = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8));
            for (Object o : (List<?>) root.get("secrets")) {
                Map<?, ?> m = (Map<?, ?>) o;
                Secret s = new Secret((String) m.get("name"), (String) m.get("arn"), (String) m.get("description"),
                        Instant.parse((String) m.get("created")));
                s.changed = Instant.parse((String) m.get("changed"));
                s.deletion = m.get("deletion") == null ? null : Instant.parse((String) m.get("deletion"));
                for (Object vo : (List<?>) m.get("versions")) {
                    Map<?, ?> v = (Map<?, ?>) vo;
                    List<String> stages = new ArrayList<>();
                    for (Object st : (List<?>) v.get("stages")) {
                        stages.add((String) st);
                    }
                    s.versions.add(new Version((String) v.get("id"), (String) v.get("string"), (String) v.get("binary"),
                            Instant.parse((String) v.get("created")), List.copyOf(stages)));
                }
                byName.put(s.name, s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the emulator's secrets in " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the emulator's secrets file " + file + " is damaged ("
                    + e.getClass().getSimpleName() + "); remove it to start with no secrets", e);
        }
    }

    private void save() {
        List<Object> secrets = new ArrayList<>();
        for (Secret s : byName.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name);
            m.put("arn", s.arn);
            m.put("description", s.description);
            m.put("created", s.created.toString());
            m.put("changed", s.changed.toString());
            m.put("deletion", s.deletion == null ? null : s.deletion.toString());
            List<Object> versions = new ArrayList<>();
            for (Version v : s.versions) {
                Map<String, Object> vm = new LinkedHashMap<>();
                vm.put("id", v.id());
                vm.put("string", v.string());
                vm.put("binary", v.binary());
                vm.put("created", v.created().toString());
                vm.put("stages", v.stages());
                versions.add(vm);
            }
            m.put("versions", versions);
            secrets.add(m);
        }
        try {
            Path dir = file.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, Json.write(Map.of("secrets", secrets)), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the emulator's secrets to " + file, e);
        }
    }
}
