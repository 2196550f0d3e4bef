package city.heze.peony.access;

import city.heze.peony.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Properties;

/**
 * The client properties file a department's applications sign in with: Kafka over SASL SCRAM-SHA-512
 * and the registry with basic auth, both as {@code code:password}. It holds the password, so it is
 * written readable by its owner only (rw-------) where the file system has POSIX permissions, and
 * never silently overwritten.
 */
public final class DepartmentClientFile {
    private DepartmentClientFile() {}

    /**
     * The properties a department's clients need.
     *
     * @param securityProtocol SASL_PLAINTEXT for {@code peony up --secure}, SASL_SSL in production
     */
    public static Properties properties(
            String code, String password, String bootstrapServers, String securityProtocol, String registryUrl) {
        Topics.requireDepartmentCode(code);
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers);
        p.setProperty("security.protocol", securityProtocol);
        p.setProperty("sasl.mechanism", "SCRAM-SHA-512");
        p.setProperty(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + code + "\" password=\""
                        + password + "\";");
        p.setProperty("schema.registry.url", registryUrl);
        p.setProperty("basic.auth.credentials.source", "USER_INFO");
        p.setProperty("basic.auth.user.info", code + ":" + password);
        return p;
    }

    /**
     * Writes {@code properties} to {@code file} with a comment header naming the department.
     *
     * @param overwrite replace an existing file; otherwise an existing file is an error
     * @throws IllegalStateException if the file exists and {@code overwrite} is false
     */
    public static void write(Path file, String code, Properties properties, boolean overwrite) {
        try {
            if (Files.exists(file) && !overwrite) {
                throw new IllegalStateException("client file " + file
                        + " already exists: remove it or ask to overwrite it (its password would be replaced)");
            }
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            // Write a fresh owner-only file beside it and move it into place, so the password is never
            // readable by others, not even for a moment.
            Path tmp = dir == null ? Path.of(file + ".tmp") : dir.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            createOwnerOnly(tmp);
            try (Writer w = Files.newBufferedWriter(
                    tmp, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                properties.store(
                        w,
                        " Peony client settings of department " + code + " (principal User:" + code + "), written "
                                + Instant.now() + ".\n Keep this file secret: it holds the department's password.");
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("client file " + file + " already exists", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write client file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createOwnerOnly(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
    }
}
