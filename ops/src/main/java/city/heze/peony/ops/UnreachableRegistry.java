package city.heze.peony.ops;

import city.heze.peony.schemas.registry.RegistryErrors;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Optional;

/**
 * The schema registry did not answer at all. Kafka's clients report it as a record that cannot
 * be deserialized ("Error deserializing VALUE ... please seek past the record"), which sends a user
 * looking for a corrupt topic; found anywhere in an exception's causes, it is reported as what it
 * is, in one place ({@link PeonyCommand}'s failure handler), whatever the command.
 */
public final class UnreachableRegistry {
    private UnreachableRegistry() {}

    /** The registry client's "no registry answered" among {@code failure} and its causes, if any. */
    public static Optional<SchemaRegistryException> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SchemaRegistryException e && e.errorCode() == RegistryErrors.UNREACHABLE) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Why, in a few words: {@code connection refused}, {@code timed out}, {@code unknown host x}. */
    public static String reason(SchemaRegistryException unreachable) {
        Throwable cause = unreachable.getCause();
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof HttpTimeoutException) {
            return "timed out";
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host " + cause.getMessage();
        }
        if (cause == null) {
            return unreachable.registryMessage();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
