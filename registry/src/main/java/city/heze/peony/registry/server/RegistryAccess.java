package city.heze.peony.registry.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Who may use the registry: authenticates HTTP basic credentials and decides writes per subject.
 *
 * <p>Any authenticated principal may read: GET schemas, subjects, versions and ids, look a schema
 * up under a subject and test compatibility. Schemas are contracts, not data, and a department that
 * reads {@code shared.<catalog>} must resolve the writer's schema with {@code GET /schemas/ids/N}
 * whoever registered it. Writes (register or delete a version or subject, set a subject's
 * compatibility) are decided per subject by {@link #mayWrite}; the global config and mode by
 * {@link #mayWriteGlobal}.
 */
public interface RegistryAccess {
    /** The principal (user name) these credentials sign in as, or empty when they are wrong. */
    Optional<String> authenticate(String user, String password);

    /** May {@code principal} change {@code subject}: register a version, delete, set its compatibility or mode? */
    boolean mayWrite(String principal, String subject);

    /**
     * May it change the global config or mode? The default answers no for everyone; an
     * implementation with a super user answers yes for it.
     */
    default boolean mayWriteGlobal(String principal) {
        return false;
    }

    /** Checks user name and password; one half of a {@link RegistryAccess} (see {@link #of}). */
    @FunctionalInterface
    interface Authenticator {
        /** The principal these credentials sign in as, or empty when they are wrong. */
        Optional<String> authenticate(String user, String password);
    }

    /**
     * Combines an authenticator (such as {@link KafkaScramAuthenticator}) with a policy, so the
     * policy can live elsewhere (Peony's access module decides from catalogs and grants).
     */
    static RegistryAccess of(
            Authenticator authenticator, BiPredicate<String, String> mayWrite, Predicate<String> mayWriteGlobal) {
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(mayWrite, "mayWrite");
        Objects.requireNonNull(mayWriteGlobal, "mayWriteGlobal");
        return new RegistryAccess() {
            @Override
            public Optional<String> authenticate(String user, String password) {
                return authenticator.authenticate(user, password);
            }

            @Override
            public boolean mayWrite(String principal, String subject) {
                return mayWrite.test(principal, subject);
            }

            @Override
            public boolean mayWriteGlobal(String principal) {
                return mayWriteGlobal.test(principal);
            }
        };
    }

    /** One fixed user who may do everything: what {@code Builder#basicAuth} sets up. */
    static RegistryAccess singleUser(String user, String password) {
        byte[] expected = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
        return of(
                (givenUser, givenPassword) -> MessageDigest.isEqual(
                                expected, (givenUser + ":" + givenPassword).getBytes(StandardCharsets.UTF_8))
                        ? Optional.of(user)
                        : Optional.empty(),
                (principal, subject) -> true,
                principal -> true);
    }
}
