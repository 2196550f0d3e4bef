package city.heze.peony.ops.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.ops.publish.PeonyRun;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code peony schemas ...} against a real registry on a real broker. */
class SchemasCommandIT {
    private static final String V1 = """
            {"type":"record","name":"Person","namespace":"city.heze.test","doc":"a person",
             "fields":[{"name":"id","type":"string"}]}""";
    private static final String V2_COMPATIBLE = """
            {"type":"record","name":"Person","namespace":"city.heze.test","doc":"a person",
             "fields":[{"name":"id","type":"string"},{"name":"phone","type":["null","string"],"default":null}]}""";
    private static final String V2_INCOMPATIBLE = """
            {"type":"record","name":"Person","namespace":"city.heze.test","doc":"a person",
             "fields":[{"name":"id","type":"string"},{"name":"phone","type":"string"}]}""";

    @TempDir
    static Path dir;

    static EmbeddedKafkaBroker broker;
    static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.create(dir.resolve("kafka"), 0).start();
        registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, Topics.SCHEMAS.name());
    }

    @AfterAll
    static void stop() {
        registry.close();
        broker.close();
    }

    private record Run(int exit, String out) {}

    private static Run peony(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--registry-url";
        all[args.length + 1] = registry.url();
        PeonyRun run = PeonyRun.run(all);
        return new Run(run.exitCode(), run.out());
    }

    @Test
    void registerListShowAndCheck() throws Exception {
        Path v1 = Files.writeString(dir.resolve("v1.avsc"), V1);
        Path good = Files.writeString(dir.resolve("good.avsc"), V2_COMPATIBLE);
        Path bad = Files.writeString(dir.resolve("bad.avsc"), V2_INCOMPATIBLE);

        Run register = peony("schemas", "register", "people-value", v1.toString());
        assertThat(register.exit()).isZero();
        assertThat(register.out()).contains("people-value version 1 id ");

        Run list = peony("schemas", "list");
        assertThat(list.out()).contains("people-value").contains("city.heze.test.Person");

        Run show = peony("schemas", "show", "people-value");
        assertThat(show.out()).contains("\"name\" : \"Person\"");

        assertThat(peony("schemas", "check", "people-value", good.toString()).exit())
                .isZero();
        Run incompatible = peony("schemas", "check", "people-value", bad.toString());
        assertThat(incompatible.exit()).isEqualTo(1);
        assertThat(incompatible.out()).contains("NOT compatible").contains("phone");
    }

    @Test
    void anUnknownSubjectIsOneLineWithTheRegistrysErrorCode() {
        Run show = peony("schemas", "show", "no-such-subject");
        assertThat(show.exit()).isEqualTo(1);
    }
}
