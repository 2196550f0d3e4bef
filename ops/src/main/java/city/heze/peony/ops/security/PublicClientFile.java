package city.heze.peony.ops.security;

import city.heze.peony.access.DepartmentClientFile;
import city.heze.peony.access.DepartmentCredentials;
import city.heze.peony.access.PublicReader;
import city.heze.peony.ops.UserException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * {@code <data-dir>/public.properties}: the client properties of the public reader ({@code
 * User:public}, {@link PublicReader}) on a secured stack. Open data is public, so is this file:
 * it is written readable by everyone (rw-r--r--) and may be handed to anyone; what it signs in as
 * may read {@code open.*} and nothing else. Rewritten on every start (the ports may change), with
 * the password it already holds, so a public client's copy keeps working across restarts.
 */
public final class PublicClientFile {
    public static final String FILE_NAME = "public.properties";

    private static final String USER_INFO = "basic.auth.user.info";

    private PublicClientFile() {}

    public static Path in(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve(FILE_NAME);
    }

    /** The public's password: the one in the data directory's file, or a new random one. */
    public static String password(Path dataDir) {
        Path file = in(dataDir);
        if (!Files.exists(file)) {
            return DepartmentCredentials.newPassword();
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage(), 1);
        }
        String userInfo = props.getProperty(USER_INFO, "");
        String prefix = PublicReader.CODE + ":";
        if (!userInfo.startsWith(prefix) || userInfo.length() == prefix.length()) {
            throw new UserException(
                    file + " has no " + USER_INFO + " of " + PublicReader.CODE
                            + "; it is not the file Peony wrote (remove it and start again for a new password)",
                    1);
        }
        return userInfo.substring(prefix.length());
    }

    /** Writes the public's client properties, readable by everyone. */
    public static Path write(
            Path dataDir, String password, String bootstrapServers, String securityProtocol, String registryUrl) {
        Properties props = DepartmentClientFile.properties(
                PublicReader.CODE, password, bootstrapServers, securityProtocol, registryUrl);
        Path file = in(dataDir);
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                props.store(
                        out,
                        " The public reader of this secured Peony (principal User:" + PublicReader.CODE + ").\n"
                                + " Not a secret: it may read the opened catalogs (open.*, consumer groups public.*)"
                                + " and nothing else.");
            }
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: its own access rules apply.
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserException("cannot write " + file + ": " + e.getMessage(), 1);
        }
        return file;
    }
}
