package dev.spotkeeper.emulator.ec2.internal;

import java.util.Map;

/** The {@code <item>} of one instance, as RunInstances and DescribeInstances return it. */
final class InstanceXml {
    private InstanceXml() {
    }

    static void tags(Xml x, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        x.open("tagSet");
        tags.forEach((k, v) -> x.open("item").el("key", k).el("value", v).close());
        x.close();
    }

    static void state(Xml x, String element, InstanceState state) {
        x.open(element).el("code", state.code()).el("name", state.awsName()).close();
    }

    static void write(Xml x, EmulatedInstance i) {
        LaunchSpec s = i.spec;
        InstanceState state = i.state();
        String dns = "ip-" + i.privateIp.replace('.', '-') + ".ec2.internal";
        x.open("item").el("instanceId", i.id).el("imageId", s.imageId());
        state(x, "instanceState", state);
        x.el("privateDnsName", dns).el("dnsName", "")
                .el("reason", state.isLive() ? "" : i.stateReasonMessage())
                .el("amiLaunchIndex", 0).el("instanceType", s.type().name()).el("launchTime", i.launchTime)
                .open("placement").el("availabilityZone", i.zone.name()).el("availabilityZoneId", i.zone.id())
                .el("groupName", "").el("tenancy", "default").close()
                .open("monitoring").el("state", "disabled").close()
                .el("subnetId", Subnets.idOf(i.zone)).el("vpcId", Subnets.VPC_ID)
                .el("privateIpAddress", i.privateIp)
                .el("architecture", s.type().architecture().awsName()).el("rootDeviceType", "ebs")
                .el("rootDeviceName", "/dev/xvda").el("virtualizationType", "hvm").el("hypervisor", "xen")
                .el("clientToken", "").el("ebsOptimized", false).el("enaSupport", true)
                .el("platformDetails", "Linux/UNIX").el("usageOperation", "RunInstances");
        if (i.stateReasonCode() != null) {
            x.open("stateReason").el("code", i.stateReasonCode()).el("message", i.stateReasonMessage()).close();
        }
        if (s.spot()) {
            x.el("instanceLifecycle", "spot").el("spotInstanceRequestId", i.spotRequestId);
        }
        if (s.launchTemplateId() != null) {
            // As EC2 does for an instance launched from a template: a system tag names it (the emulator sets no
            // aws:ec2launchtemplate:version).
            java.util.Map<String, String> withTemplate = new java.util.LinkedHashMap<>(i.tags());
            withTemplate.put("aws:ec2launchtemplate:id", s.launchTemplateId());
            tags(x, withTemplate);
        } else {
            tags(x, i.tags());
        }
        x.open("metadataOptions").el("state", "applied").el("httpTokens", s.httpTokens())
                .el("httpPutResponseHopLimit", s.hopLimit()).el("httpEndpoint", "enabled")
                .el("httpProtocolIpv6", "disabled")
                .el("instanceMetadataTags", s.metadataTags() ? "enabled" : "disabled").close();
        x.close();
    }
}
