package dev.spotkeeper.emulator.ec2.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Launch templates by id: each keeps its versions' data as the query parameters it was created with. */
public final class LaunchTemplates {
    /** One template. {@code versions.get(0)} is version 1. */
    public record Template(String id, String name, Instant createTime, List<QueryParams> versions,
                           Map<String, String> tags) {
        public Template {
            versions = List.copyOf(versions);
            tags = Map.copyOf(tags);
        }
    }

    private final Map<String, Template> byId = new LinkedHashMap<>();
    private final Function<String, String> ids;
    private final Timers timers;

    LaunchTemplates(Function<String, String> ids, Timers timers) {
        this.ids = ids;
        this.timers = timers;
    }

    public synchronized Template create(String name, QueryParams data, Map<String, String> tags) {
        if (byName(name).isPresent()) {
            throw Ec2Error.client("InvalidLaunchTemplateName.AlreadyExistsException",
                    "Launch template name already in use.");
        }
        Template t = new Template(ids.apply("lt"), name, timers.now(), List.of(data), tags);
        byId.put(t.id(), t);
        return t;
    }

    public synchronized List<Template> all() {
        return new ArrayList<>(byId.values());
    }

    public synchronized Optional<Template> byName(String name) {
        return byId.values().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public synchronized Optional<Template> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The template named by id or name, as AWS's errors say when neither is found. */
    public synchronized Template require(String id, String name) {
        if (id != null) {
            return byId(id).orElseThrow(() -> Ec2Error.client("InvalidLaunchTemplateId.NotFound",
                    "The specified launch template, with template ID " + id + ", does not exist."));
        }
        if (name != null) {
            return byName(name).orElseThrow(() -> Ec2Error.client("InvalidLaunchTemplateName.NotFoundException",
                    "The specified launch template, with template name " + name + ", does not exist."));
        }
        throw Ec2Error.missing("LaunchTemplateId or LaunchTemplateName");
    }

    public synchronized Template delete(String id, String name) {
        Template t = require(id, name);
        byId.remove(t.id());
        return t;
    }

    /** The data of {@code version} ({@code $Default}, {@code $Latest} or a number; null means default). */
    public static QueryParams version(Template t, String version) {
        if (version == null || version.equals("$Default") || version.equals("$Latest")) {
            return version != null && version.equals("$Latest") ? t.versions().get(t.versions().size() - 1)
                    : t.versions().get(0);
        }
        try {
            int n = Integer.parseInt(version.trim());
            if (n >= 1 && n <= t.versions().size()) {
                return t.versions().get(n - 1);
            }
        } catch (NumberFormatException e) {
            throw Ec2Error.client("InvalidLaunchTemplateId.VersionNotFound", "Could not find launch template version "
                    + version + "; use a number, $Default or $Latest.");
        }
        throw Ec2Error.client("InvalidLaunchTemplateId.VersionNotFound", "Could not find launch template version "
                + version + " of " + t.id() + "; it has " + t.versions().size() + " version(s).");
    }
}
