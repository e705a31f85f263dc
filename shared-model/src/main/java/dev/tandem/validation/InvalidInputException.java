package dev.tandem.validation;

/**
 * Bad input from a caller: a body, a notification, a scenario. Names the field that is wrong, so the
 * caller can fix it without reading our logs. Its message is ours, never an exception's text.
 */
public final class InvalidInputException extends RuntimeException {
    private final String field;

    public InvalidInputException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The same error, with its field placed under a parent path: {@code events[3]} + {@code type}. */
    public InvalidInputException under(String parent) {
        String nested = field == null || field.isEmpty() ? parent : parent + "." + field;
        return new InvalidInputException(nested, getMessage());
    }
}
