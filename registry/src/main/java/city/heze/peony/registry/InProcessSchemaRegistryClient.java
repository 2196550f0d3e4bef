package city.heze.peony.registry;

import city.heze.peony.schemas.registry.CompatibilityLevel;
import city.heze.peony.schemas.registry.CompatibilityReport;
import city.heze.peony.schemas.registry.RegisteredSchema;
import city.heze.peony.schemas.registry.RegistryMode;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SubjectVersion;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A client of a {@link SchemaRegistry} in this JVM: the same registry logic as the HTTP server,
 * without HTTP or Kafka. Tests with {@code TopologyTestDriver} use it, usually through {@code
 * schema.registry.url=local://NAME} (see {@link LocalSchemaRegistries}), instead of a mock.
 */
public final class InProcessSchemaRegistryClient implements SchemaRegistryClient {
    private final SchemaRegistry registry;
    private final String location;

    public InProcessSchemaRegistryClient(SchemaRegistry registry, String location) {
        this.registry = registry;
        this.location = location;
    }

    /** A client of a fresh, private in-memory registry. */
    public static InProcessSchemaRegistryClient ofFreshRegistry() {
        return new InProcessSchemaRegistryClient(SchemaRegistry.inMemory(), "in-memory registry");
    }

    public SchemaRegistry registry() {
        return registry;
    }

    @Override
    public int register(String subject, String schemaText) {
        return registry.register(subject, schemaText).id();
    }

    @Override
    public RegisteredSchema lookup(String subject, String schemaText, boolean includeDeleted) {
        return registry.lookup(subject, schemaText, includeDeleted);
    }

    @Override
    public Schema schemaById(int id) {
        return registry.schemaById(id).schema();
    }

    @Override
    public List<SubjectVersion> subjectVersionsById(int id) {
        return registry.subjectVersionsById(id, false);
    }

    @Override
    public List<String> subjects(boolean includeDeleted) {
        return registry.subjects(includeDeleted);
    }

    @Override
    public List<Integer> versions(String subject) {
        return registry.versions(subject, false);
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return registry.version(subject, version, false);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return registry.version(subject, SchemaRegistry.LATEST, false);
    }

    @Override
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        return registry.deleteSubject(subject, permanent);
    }

    @Override
    public int deleteVersion(String subject, int version, boolean permanent) {
        return registry.deleteVersion(subject, version, permanent);
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        return registry.globalCompatibility();
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        registry.setCompatibility(null, level);
    }

    @Override
    public Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return registry.subjectCompatibility(subject);
    }

    @Override
    public void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        registry.setCompatibility(subject, level);
    }

    @Override
    public void deleteSubjectCompatibility(String subject) {
        registry.deleteCompatibility(subject);
    }

    @Override
    public CompatibilityReport testCompatibility(String subject, String schemaText) {
        return registry.testCompatibility(subject, schemaText);
    }

    @Override
    public CompatibilityReport testCompatibility(String subject, int version, String schemaText) {
        return registry.testCompatibility(subject, version, schemaText);
    }

    @Override
    public RegistryMode mode() {
        return registry.mode();
    }

    @Override
    public void setMode(RegistryMode mode, boolean force) {
        registry.setMode(mode, force);
    }

    @Override
    public String location() {
        return location;
    }

    /** Leaves the registry open: other clients (and serdes) may share it. */
    @Override
    public void close() {}
}
