package dev.spotkeeper.emulator.ec2.internal;

/** EC2's instance states the emulator uses, with their API codes. */
public enum InstanceState {
    /** Launched, booting; nothing runs yet. */
    PENDING(0, "pending"),
    /** The user-data script runs and IMDS answers. */
    RUNNING(16, "running"),
    /** Its processes are being stopped. */
    SHUTTING_DOWN(32, "shutting-down"),
    /** Gone; kept in DescribeInstances as AWS keeps it for a while. */
    TERMINATED(48, "terminated");

    private final int code;
    private final String awsName;

    InstanceState(int code, String awsName) {
        this.code = code;
        this.awsName = awsName;
    }

    public int code() {
        return code;
    }

    public String awsName() {
        return awsName;
    }

    public boolean isLive() {
        return this == PENDING || this == RUNNING;
    }
}
