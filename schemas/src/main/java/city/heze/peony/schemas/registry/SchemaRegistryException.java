package city.heze.peony.schemas.registry;

/**
 * An answer from a schema registry that is not a success: the registry's own {@code error_code}
 * (Confluent's codes, such as 40401 or 42201) and its message. Thrown alike by the HTTP client, the
 * in-process client and the registry core, so callers handle one type whatever the transport.
 */
public final class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errorCode;
    private final String registryMessage;

    public SchemaRegistryException(int errorCode, String registryMessage) {
        this(errorCode, registryMessage, null);
    }

    public SchemaRegistryException(int errorCode, String registryMessage, Throwable cause) {
        super(registryMessage + "; error code: " + errorCode, cause);
        this.errorCode = errorCode;
        this.registryMessage = registryMessage;
    }

    /** Confluent's {@code error_code}, e.g. 40401; {@link RegistryErrors#UNREACHABLE} when no registry answered. */
    public int errorCode() {
        return errorCode;
    }

    /** The registry's {@code message}, without the error code. */
    public String registryMessage() {
        return registryMessage;
    }

    /**
     * The HTTP status that goes with the error code: Confluent's codes start with the status
     * (40401 is a 404, 42201 a 422), short codes such as 409 are the status itself.
     */
    public int httpStatus() {
        return RegistryErrors.httpStatusOf(errorCode);
    }

    /** The registry refused the credentials (401) or the operation for them (403). */
    public boolean isAccessDenied() {
        int status = httpStatus();
        return status == 401 || status == 403;
    }
}
