package city.heze.peony.ops.security;

import city.heze.peony.ops.UserException;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who a command signs in as, read from its client properties: the SCRAM user of
 * {@code sasl.jaas.config}, if any. A department acts only in its own name (the broker's ACLs
 * enforce it); checking here as well turns a denied write into a clear line before anything is sent.
 */
public record SignedIn(Optional<String> user) {
    /** Peony's own principal: the super user of a secured stack, which may act for any department. */
    public static final String SUPER_USER = "peony";

    private static final Pattern USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    public static SignedIn of(Properties client) {
        String jaas = client.getProperty("sasl.jaas.config");
        if (jaas == null) {
            return new SignedIn(Optional.empty());
        }
        Matcher m = USERNAME.matcher(jaas);
        return new SignedIn(m.find() ? Optional.of(m.group(1)) : Optional.empty());
    }

    /** The department signed in; empty for an anonymous client or Peony's super user. */
    public Optional<String> department() {
        return user.filter(u -> !u.equals(SUPER_USER));
    }

    /** Fails when a department is signed in and {@code code} is another one. */
    public void requireMayActAs(String option, String code) {
        department().filter(signedIn -> !signedIn.equals(code)).ifPresent(signedIn -> {
            throw new UserException(option + " " + code + ": you are signed in as " + signedIn
                    + " (--client-config); a department acts only in its own name");
        });
    }
}
