package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.core.Names;
import java.util.Collection;
import java.util.List;

/**
 * An EC2 API error as AWS reports it: a code, a message and the HTTP status of its class (400 for client
 * errors; 500 for server-side capacity errors such as InsufficientInstanceCapacity; 503 Unavailable). Thrown
 * inside a request and turned into AWS's XML error document by the handler, so it never escapes the emulator.
 */
public final class Ec2Error extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final int status;

    public Ec2Error(String code, String message, int status) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public static Ec2Error client(String code, String message) {
        return new Ec2Error(code, message, 400);
    }

    public static Ec2Error missing(String parameter) {
        return client("MissingParameter", "The request must contain the parameter " + parameter);
    }

    public static Ec2Error invalid(String message) {
        return client("InvalidParameterValue", message);
    }

    /** InvalidParameterValue naming the nearest valid values, as AWS does for a misspelt enum member. */
    public static Ec2Error invalidValue(String parameter, String value, Collection<String> valid) {
        List<String> near = Names.nearest(value, valid, 5);
        String hint = near.isEmpty() ? "" : " Did you mean: " + String.join(", ", near) + "?";
        return invalid("Invalid value '" + value + "' for " + parameter + "." + hint);
    }
}
