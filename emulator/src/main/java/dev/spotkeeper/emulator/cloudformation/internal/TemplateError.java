package dev.spotkeeper.emulator.cloudformation.internal;

/** A template CloudFormation refuses ({@code ValidationError}), with AWS's wording where it has one. */
final class TemplateError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TemplateError(String message) {
        super(message, null, false, false);
    }
}
