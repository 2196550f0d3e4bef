package city.heze.peony.schemas.registry;

/**
 * Confluent Schema Registry's error codes and messages. The messages follow Confluent's wording so
 * that scripts and people who know Confluent recognise them.
 */
public final class RegistryErrors {
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int SUBJECT_SOFT_DELETED = 40404;
    public static final int SUBJECT_NOT_SOFT_DELETED = 40405;
    public static final int VERSION_SOFT_DELETED = 40406;
    public static final int VERSION_NOT_SOFT_DELETED = 40407;
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    public static final int INVALID_MODE = 42204;
    public static final int OPERATION_NOT_PERMITTED = 42205;
    public static final int STORE_ERROR = 50001;
    /** Not a registry code: no registry answered (connection refused, timeout) after the retries. */
    public static final int UNREACHABLE = -1;
    /** Not a registry code: an answer that is not what Confluent's API promises (not JSON, a field missing). */
    public static final int INVALID_ANSWER = -2;

    private RegistryErrors() {}

    static int httpStatusOf(int errorCode) {
        if (errorCode <= 0) {
            return 0;
        }
        int status = errorCode;
        while (status > 999) {
            status /= 10;
        }
        return status;
    }

    public static SchemaRegistryException subjectNotFound(String subject) {
        return new SchemaRegistryException(SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    public static SchemaRegistryException versionNotFound(int version) {
        return new SchemaRegistryException(VERSION_NOT_FOUND, "Version " + version + " not found.");
    }

    public static SchemaRegistryException latestVersionNotFound(String subject) {
        return new SchemaRegistryException(
                VERSION_NOT_FOUND, "Version latest not found: subject '" + subject + "' has no live version.");
    }

    public static SchemaRegistryException schemaIdNotFound(int id) {
        return new SchemaRegistryException(SCHEMA_NOT_FOUND, "Schema " + id + " not found");
    }

    public static SchemaRegistryException schemaNotFoundInSubject(String subject) {
        return new SchemaRegistryException(SCHEMA_NOT_FOUND, "Schema not found under subject '" + subject + "'");
    }

    public static SchemaRegistryException subjectSoftDeleted(String subject) {
        return new SchemaRegistryException(
                SUBJECT_SOFT_DELETED,
                "Subject '" + subject + "' was soft deleted. Set permanent=true to delete permanently");
    }

    public static SchemaRegistryException subjectNotSoftDeleted(String subject) {
        return new SchemaRegistryException(
                SUBJECT_NOT_SOFT_DELETED,
                "Subject '" + subject + "' was not deleted first before being permanently deleted");
    }

    public static SchemaRegistryException versionSoftDeleted(String subject, int version) {
        return new SchemaRegistryException(
                VERSION_SOFT_DELETED,
                "Subject '" + subject + "' Version " + version
                        + " was soft deleted. Set permanent=true to delete permanently");
    }

    public static SchemaRegistryException versionNotSoftDeleted(String subject, int version) {
        return new SchemaRegistryException(
                VERSION_NOT_SOFT_DELETED,
                "Subject '" + subject + "' Version " + version
                        + " was not deleted first before being permanently deleted");
    }

    public static SchemaRegistryException subjectCompatibilityNotConfigured(String subject) {
        return new SchemaRegistryException(
                SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    public static SchemaRegistryException incompatible(String subject, String details) {
        return new SchemaRegistryException(
                INCOMPATIBLE_SCHEMA,
                "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                        + "\", details: " + details);
    }

    public static SchemaRegistryException invalidSchema(String reason) {
        return new SchemaRegistryException(INVALID_SCHEMA, "Invalid schema: " + reason);
    }

    public static SchemaRegistryException invalidVersion(String version) {
        return new SchemaRegistryException(
                INVALID_VERSION,
                "The specified version '" + version + "' is not a valid version id. Allowed values are between"
                        + " [1, 2^31-1] and the string \"latest\"");
    }

    public static SchemaRegistryException invalidCompatibilityLevel(String level) {
        return new SchemaRegistryException(
                INVALID_COMPATIBILITY_LEVEL,
                "Invalid compatibility level '" + level + "'. Valid values are none, backward, forward, full,"
                        + " backward_transitive, forward_transitive, and full_transitive");
    }

    public static SchemaRegistryException invalidMode(String mode) {
        return new SchemaRegistryException(
                INVALID_MODE, "Invalid mode '" + mode + "'. Valid values are READWRITE, READONLY and IMPORT");
    }

    public static SchemaRegistryException notPermitted(String reason) {
        return new SchemaRegistryException(OPERATION_NOT_PERMITTED, reason);
    }

    public static SchemaRegistryException storeError(String reason, Throwable cause) {
        return new SchemaRegistryException(STORE_ERROR, "Error in the backend data store: " + reason, cause);
    }
}
