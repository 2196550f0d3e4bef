package city.heze.peony.ops.security;

import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.ops.UserException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * {@code <data-dir>/admin.properties}: the client properties of Peony's super user on a secured
 * stack. Written once, on the first {@code peony up --secure}, readable by its owner only; every
 * command passes it with {@code --client-config}. Its presence also marks a data directory as
 * secured, so that it is never served again without authentication.
 */
public final class AdminClientFile {
    public static final String FILE_NAME = "admin.properties";

    private static final String PASSWORD_KEY = "peony.super.password";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminClientFile() {}

    public static Path in(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve(FILE_NAME);
    }

    /**
     * Refuses to mix modes: a data directory first served without authentication has no super user
     * to sign in with, and a secured one must never be served open.
     */
    public static void requireMode(Path dataDir, boolean secure) {
        boolean hasBroker = Files.exists(dataDir.resolve("kafka").resolve("meta.properties"));
        boolean secured = EmbeddedKafkaBroker.isSecuredDataDir(dataDir);
        if (secure && hasBroker && !secured) {
            throw new UserException("--secure: " + dataDir.toAbsolutePath()
                    + " was first started without --secure, so it has no super user; start a secured Peony on"
                    + " a fresh --data-dir");
        }
        if (!secure && secured) {
            throw new UserException(dataDir.toAbsolutePath()
                    + " holds a secured Peony; start it with --secure, it is never served without authentication");
        }
    }

    /** The super user's password: the one stored in the data directory, or a new random one. */
    public static String superPassword(Path dataDir) {
        Path file = in(dataDir);
        if (!Files.exists(file)) {
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage(), 1);
        }
        String password = props.getProperty(PASSWORD_KEY);
        if (password == null || password.isEmpty()) {
            throw new UserException(file + " has no " + PASSWORD_KEY + "; it is not the file Peony wrote", 1);
        }
        return password;
    }

    /**
     * Writes the super user's client properties (and its password, for the next start), with
     * owner-only permissions where the file system has them.
     */
    public static Path write(Path dataDir, Map<String, ?> clientProperties, String password) {
        Path file = in(dataDir);
        Map<String, Object> sorted = new TreeMap<>(clientProperties);
        sorted.put(PASSWORD_KEY, password);
        try {
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            restrictToOwner(file);
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write("# Peony's super user on this secured stack: pass this file with --client-config.\n");
                out.write("# Keep it secret; peony up --secure reads the password back from it on every start.\n");
                for (var e : sorted.entrySet()) {
                    out.write(e.getKey() + "=" + escapeValue(String.valueOf(e.getValue())) + "\n");
                }
            }
        } catch (IOException e) {
            throw new UserException("cannot write " + file + ": " + e.getMessage(), 1);
        }
        return file;
    }

    static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: its own access rules apply.
        }
    }

    /** Java properties escaping of a value: a jaas config's quotes and '=' read back as they are. */
    private static String escapeValue(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
