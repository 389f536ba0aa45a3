package dev.spotkeeper.emulator.ec2.internal;

import java.util.List;
import java.util.Optional;

/** A few public images, enough to launch x86_64, arm64 and GPU work; any other {@code ami-} id launches too. */
final class Images {
    record Image(String id, String name, String description, String architecture, String owner, String alias) {
    }

    static final List<Image> ALL = List.of(
            new Image("ami-0e5f0a1b2c3d40001", "al2023-ami-2023.6.20250107.0-kernel-6.1-x86_64",
                    "Amazon Linux 2023 AMI (x86_64)", "x86_64", "137112412989", "amazon"),
            new Image("ami-0e5f0a1b2c3d40002", "al2023-ami-2023.6.20250107.0-kernel-6.1-arm64",
                    "Amazon Linux 2023 AMI (arm64)", "arm64", "137112412989", "amazon"),
            new Image("ami-0e5f0a1b2c3d40003", "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115",
                    "Canonical, Ubuntu, 24.04, amd64 noble image", "x86_64", "099720109477", null),
            new Image("ami-0e5f0a1b2c3d40004", "Deep Learning Base OSS Nvidia Driver GPU AMI (Amazon Linux 2023) 20250110",
                    "Deep Learning Base AMI with NVIDIA driver and CUDA", "x86_64", "898082745236", "amazon"));

    private Images() {
    }

    static Optional<Image> find(String id) {
        return ALL.stream().filter(i -> i.id().equals(id)).findFirst();
    }

    static void write(Xml x, Image i) {
        x.open("item").el("imageId", i.id()).el("imageLocation", i.owner() + "/" + i.name())
                .el("imageState", "available").el("imageOwnerId", i.owner())
                .el("creationDate", "2025-01-10T00:00:00.000Z").el("isPublic", true)
                .el("architecture", i.architecture()).el("imageType", "machine").el("imageOwnerAlias", i.alias())
                .el("name", i.name()).el("description", i.description()).el("rootDeviceType", "ebs")
                .el("rootDeviceName", "/dev/xvda").el("virtualizationType", "hvm").el("hypervisor", "xen")
                .el("enaSupport", true).el("platformDetails", "Linux/UNIX").el("usageOperation", "RunInstances")
                .close();
    }
}
