package city.heze.peony.access;

import city.heze.peony.schemas.Topics;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.errors.ResourceNotFoundException;

/**
 * A department's SCRAM-SHA-512 credential on the broker, through the Admin API: Kafka keeps only
 * the salted verifier, so the password exists only in the client file written when it is created.
 */
public final class DepartmentCredentials {
    /** The mechanism departments sign in with. */
    public static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_512;
    /** Kafka's default and minimum for SCRAM-SHA-512. */
    public static final int ITERATIONS = 4096;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PASSWORD_BYTES = 24; // 32 url-safe characters, 192 bits

    private final Admin admin;
    private final Duration timeout;

    /** @param admin an admin client of a super user; not closed by this class */
    public DepartmentCredentials(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** A new random password of 32 url-safe characters (no padding), from SecureRandom. */
    public static String newPassword() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Creates or replaces the department's credential and returns once the broker describes it. */
    public void upsert(String code, String password) {
        Topics.requireDepartmentCode(code);
        await(
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                                code, new ScramCredentialInfo(MECHANISM, ITERATIONS), password)))
                        .all(),
                "create the SCRAM credential of " + code);
        awaitVisible(code, true);
    }

    /** Deletes the department's credential (nothing if it has none) and returns once it is gone. */
    public void delete(String code) {
        Topics.requireDepartmentCode(code);
        if (!exists(code)) {
            return;
        }
        await(
                admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion(code, MECHANISM)))
                        .all(),
                "delete the SCRAM credential of " + code);
        awaitVisible(code, false);
    }

    /** Whether the broker has a SCRAM-SHA-512 credential for the department. */
    public boolean exists(String code) {
        try {
            UserScramCredentialsDescription d = admin.describeUserScramCredentials(List.of(code))
                    .description(code)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return d.credentialInfos().stream().anyMatch(i -> i.mechanism() == MECHANISM);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return false;
            }
            throw new IllegalStateException(
                    "cannot describe the SCRAM credential of " + code + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the credential of " + code, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "the broker did not describe the credential of " + code + " within " + timeout.toSeconds() + " s");
        }
    }

    // The controller applies the change asynchronously; the broker may describe it a moment later.
    private void awaitVisible(String code, boolean present) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (exists(code) != present) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the SCRAM credential of " + code + " is "
                        + (present ? "still not visible" : "still visible") + " after " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the credential of " + code, e);
            }
        }
    }

    private void await(org.apache.kafka.common.KafkaFuture<Void> future, String what) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not " + what + " within " + timeout.toSeconds() + " s");
        }
    }
}
