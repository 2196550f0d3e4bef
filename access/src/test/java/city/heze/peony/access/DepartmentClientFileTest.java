package city.heze.peony.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DepartmentClientFileTest {
    @TempDir
    Path dir;

    @Test
    void writesOwnerOnlyPropertiesAndRefusesToOverwriteUnlessTold() throws Exception {
        String password = DepartmentCredentials.newPassword();
        Properties props = DepartmentClientFile.properties(
                "mz", password, "127.0.0.1:9092", "SASL_PLAINTEXT", "http://127.0.0.1:8081");
        Path file = dir.resolve("clients/mz.properties");

        DepartmentClientFile.write(file, "mz", props, false);

        Properties read = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            read.load(r);
        }
        assertThat(read).isEqualTo(props);
        assertThat(read.getProperty("sasl.jaas.config"))
                .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"mz\""
                        + " password=\"" + password + "\";");
        assertThat(read.getProperty("basic.auth.user.info")).isEqualTo("mz:" + password);
        assertThat(read.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(Files.readString(file)).startsWith("# Peony client settings of department mz");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }

        assertThatThrownBy(() -> DepartmentClientFile.write(file, "mz", props, false))
                .hasMessageContaining("client file " + file + " already exists");
        Properties other =
                DepartmentClientFile.properties("mz", "another-password-of-24-chars", "h:1", "SASL_SSL", "https://r");
        DepartmentClientFile.write(file, "mz", other, true);
        assertThat(Files.readString(file)).contains("SASL_SSL").doesNotContain(password);
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    @Test
    void passwordsAreLongUrlSafeAndFresh() {
        String a = DepartmentCredentials.newPassword();
        assertThat(a).hasSizeGreaterThanOrEqualTo(24).matches("[A-Za-z0-9_-]+");
        assertThat(DepartmentCredentials.newPassword()).isNotEqualTo(a);
    }
}
