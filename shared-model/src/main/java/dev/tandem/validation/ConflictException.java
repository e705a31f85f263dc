package dev.tandem.validation;

/** A write that would break a uniqueness rule, such as an email address that belongs to another contact. */
public final class ConflictException extends RuntimeException {
    private final String field;

    public ConflictException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
