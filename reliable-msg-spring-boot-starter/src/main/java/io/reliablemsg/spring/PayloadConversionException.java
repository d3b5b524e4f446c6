package io.reliablemsg.spring;

/** A payload that cannot be written from, or read as, the type asked for. */
public class PayloadConversionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a message saying what could not be converted. */
    public PayloadConversionException(String message) {
        super(message);
    }

    /** With a message and the converter's own error. */
    public PayloadConversionException(String message, Throwable cause) {
        super(message, cause);
    }
}
