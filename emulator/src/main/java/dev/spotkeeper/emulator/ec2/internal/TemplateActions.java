package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.core.market.io.ShippedMarket;
import java.util.List;
import java.util.Map;

/** CreateLaunchTemplate, DescribeLaunchTemplates, DeleteLaunchTemplate. */
final class TemplateActions {
    private final LaunchTemplates templates;

    TemplateActions(LaunchTemplates templates) {
        this.templates = templates;
    }

    String create(Call c) {
        String name = c.params().require("LaunchTemplateName");
        if (name.length() < 3 || name.length() > 128 || !name.matches("[a-zA-Z0-9().\\-/_]+")) {
            throw Ec2Error.client("InvalidLaunchTemplateName.MalformedException", "A launch template name must be "
                    + "3 to 128 characters of letters, digits and ( ) . - / _; was '" + name + "'.");
        }
        QueryParams data = c.params().sub("LaunchTemplateData");
        if (data.isEmpty()) {
            throw Ec2Error.missing("LaunchTemplateData");
        }
        data.get("InstanceType").ifPresent(t -> LaunchSpecs.type(t, ShippedMarket.catalog()));
        data.get("MetadataOptions.HttpTokens").filter(t -> !t.equals("required") && !t.equals("optional"))
                .ifPresent(t -> {
                    throw Ec2Error.invalidValue("MetadataOptions.HttpTokens", t, List.of("required", "optional"));
                });
        Map<String, String> tags = LaunchSpecs.tags(c.params(), "launch-template");
        LaunchTemplates.Template t = templates.create(name, data, tags);
        Xml x = c.response().open("launchTemplate");
        write(x, t);
        return x.finish();
    }

    String describe(Call c) {
        List<String> ids = c.params().list("LaunchTemplateId");
        List<String> names = c.params().list("LaunchTemplateName");
        for (String id : ids) {
            templates.require(id, null);
        }
        for (String name : names) {
            templates.require(null, name);
        }
        Map<String, List<String>> filters = c.params().filters();
        Xml x = c.response().open("launchTemplates");
        for (LaunchTemplates.Template t : templates.all()) {
            boolean wanted = (ids.isEmpty() || ids.contains(t.id())) && (names.isEmpty() || names.contains(t.name()))
                    && Filters.matches(filters, "launch-template-name", t.name());
            for (Map.Entry<String, List<String>> f : filters.entrySet()) {
                if (f.getKey().startsWith("tag:")) {
                    wanted &= Filters.matches(filters, f.getKey(), t.tags().get(f.getKey().substring(4)));
                }
            }
            if (wanted) {
                x.open("item");
                write(x, t);
                x.close();
            }
        }
        return x.finish();
    }

    String delete(Call c) {
        LaunchTemplates.Template t = templates.delete(c.params().get("LaunchTemplateId").orElse(null),
                c.params().get("LaunchTemplateName").orElse(null));
        Xml x = c.response().open("launchTemplate");
        write(x, t);
        return x.finish();
    }

    private static void write(Xml x, LaunchTemplates.Template t) {
        x.el("launchTemplateId", t.id()).el("launchTemplateName", t.name()).el("createTime", t.createTime())
                .el("createdBy", "arn:aws:iam::" + Lifecycle.ACCOUNT_ID + ":root").el("defaultVersionNumber", 1)
                .el("latestVersionNumber", t.versions().size());
        InstanceXml.tags(x, t.tags());
    }
}
