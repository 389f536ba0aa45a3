package dev.spotkeeper.emulator.ec2.internal;

/** One EC2 API call: its parameters, the region it was signed for, and the request id of the answer. */
record Call(String action, QueryParams params, String region, String requestId) {
    Xml response() {
        return Xml.response(action, requestId);
    }
}
