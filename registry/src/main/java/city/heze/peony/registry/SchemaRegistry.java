package city.heze.peony.registry;

import city.heze.peony.registry.RegistryEvent.CompatibilityChanged;
import city.heze.peony.registry.RegistryEvent.ModeChanged;
import city.heze.peony.registry.RegistryEvent.SchemaIdsReserved;
import city.heze.peony.registry.RegistryEvent.SchemaVersionErased;
import city.heze.peony.registry.RegistryEvent.SchemaVersionStored;
import city.heze.peony.registry.RegistryEvent.SubjectDeleted;
import city.heze.peony.schemas.registry.CompatibilityLevel;
import city.heze.peony.schemas.registry.CompatibilityReport;
import city.heze.peony.schemas.registry.RegisteredSchema;
import city.heze.peony.schemas.registry.RegistryErrors;
import city.heze.peony.schemas.registry.RegistryMode;
import city.heze.peony.schemas.registry.SchemaRegistryClient;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import city.heze.peony.schemas.registry.SubjectVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The schema registry itself: Confluent's semantics over a {@link RegistryJournal}. The embedded
 * HTTP server, the in-process client and Kafka-backed storage all run this same logic.
 *
 * <p>It is the one writer: writes are serialised, each assigns ids from the highest id ever handed
 * out (never reusing one, not even after a permanent delete) and returns only once the journal has
 * applied it, so the next read sees it. Reads run in parallel with each other.
 */
public final class SchemaRegistry implements AutoCloseable {
    /** The version number that stands for "latest" (Confluent accepts {@code latest} and {@code -1}). */
    public static final int LATEST = SchemaRegistryClient.LATEST;

    static final Comparator<SubjectVersion> SUBJECT_VERSION_ORDER =
            Comparator.comparing(SubjectVersion::subject).thenComparingInt(SubjectVersion::version);

    private final RegistryState state = new RegistryState();
    private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
    private final Lock writerLock = new ReentrantLock();
    private final RegistryJournal journal;

    private SchemaRegistry(RegistryJournal journal) {
        this.journal = journal;
    }

    /** A registry over {@code journal}: replays what it holds before returning. */
    public static SchemaRegistry open(RegistryJournal journal) {
        SchemaRegistry registry = new SchemaRegistry(journal);
        try {
            journal.open(registry::apply);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        return registry;
    }

    /** A registry that lives in this JVM only. */
    public static SchemaRegistry inMemory() {
        return open(RegistryJournal.inMemory());
    }

    /** Where the state is kept, for messages. */
    public String storage() {
        return journal.describe();
    }

    private void apply(RegistryEvent event) {
        stateLock.writeLock().lock();
        try {
            state.apply(event);
        } finally {
            stateLock.writeLock().unlock();
        }
    }

    private <T> T read(Supplier<T> query) {
        stateLock.readLock().lock();
        try {
            return query.get();
        } finally {
            stateLock.readLock().unlock();
        }
    }

    /** A write decided on the current state: the events to store and the answer once stored. */
    private record Decision<T>(List<RegistryEvent> events, T answer) {}

    private <T> T write(Supplier<Decision<T>> decide) {
        writerLock.lock();
        try {
            // Only this thread writes, so the state read here is still current when the journal applies.
            Decision<T> decision = read(decide);
            if (!decision.events().isEmpty()) {
                journal.append(decision.events());
            }
            return decision.answer();
        } finally {
            writerLock.unlock();
        }
    }

    // ---- subjects and versions ----

    /**
     * Registers {@code schemaText} under {@code subject}; idempotent. The same schema under another
     * subject gets the same id.
     *
     * @throws SchemaRegistryException 42201 invalid schema, 409 incompatible, 42205 read-only mode
     */
    public RegisteredSchema register(String subject, String schemaText) {
        return register(subject, schemaText, null, null);
    }

    /**
     * Registers with an explicit id and version, as IMPORT mode allows (both null for a normal
     * registration).
     */
    public RegisteredSchema register(String subject, String schemaText, Integer importId, Integer importVersion) {
        requireSubject(subject);
        ParsedAvroSchema parsed = ParsedAvroSchema.parse(schemaText);
        return write(() -> {
            RegistryMode mode = effectiveMode(subject);
            if (mode == RegistryMode.READONLY) {
                throw RegistryErrors.notPermitted("Subject '" + subject + "' is in read-only mode");
            }
            if ((importId != null || importVersion != null) && mode != RegistryMode.IMPORT) {
                throw RegistryErrors.notPermitted("Subject '" + subject
                        + "' is not in import mode: a schema id or version can only be given in IMPORT mode");
            }
            NavigableMap<Integer, StoredVersion> history = state.history(subject);
            if (importId != null) {
                return importVersion(subject, parsed, importId, importVersion, history);
            }
            for (StoredVersion existing : history.descendingMap().values()) {
                if (!existing.deleted() && existing.schema().canonical().equals(parsed.canonical())) {
                    return new Decision<>(List.of(), existing.toRegistered());
                }
            }
            if (mode != RegistryMode.IMPORT) {
                CompatibilityLevel level = effectiveLevel(subject);
                List<String> reasons =
                        CompatibilityCheck.incompatibilities(level, parsed.schema(), checkedVersions(history, level));
                if (!reasons.isEmpty()) {
                    throw RegistryErrors.incompatible(subject, reasons.toString());
                }
            }
            int id = state.idOf(parsed.canonical()).orElse(state.maxId() + 1);
            int version = history.isEmpty() ? 1 : history.lastKey() + 1;
            return stored(subject, version, id, parsed);
        });
    }

    private Decision<RegisteredSchema> importVersion(
            String subject,
            ParsedAvroSchema parsed,
            int id,
            Integer requestedVersion,
            NavigableMap<Integer, StoredVersion> history) {
        if (id < 1) {
            throw RegistryErrors.notPermitted("Schema id " + id + " is not valid: ids start at 1");
        }
        ParsedAvroSchema holder = state.schemaById(id);
        if (holder != null && !holder.canonical().equals(parsed.canonical())) {
            throw RegistryErrors.notPermitted(
                    "Overwriting schema id " + id + " with a different schema is not permitted");
        }
        int version = requestedVersion != null ? requestedVersion : history.isEmpty() ? 1 : history.lastKey() + 1;
        if (version < 1) {
            throw RegistryErrors.invalidVersion(Integer.toString(version));
        }
        StoredVersion existing = history.get(version);
        if (existing != null) {
            if (existing.id() == id && !existing.deleted()) {
                return new Decision<>(List.of(), existing.toRegistered());
            }
            throw RegistryErrors.notPermitted("Subject '" + subject + "' already has version " + version
                    + " with schema id " + existing.id() + "; importing id " + id + " there is not permitted");
        }
        return stored(subject, version, id, parsed);
    }

    private static Decision<RegisteredSchema> stored(String subject, int version, int id, ParsedAvroSchema parsed) {
        return new Decision<>(
                List.of(new SchemaVersionStored(subject, version, id, parsed.canonical(), false)),
                new RegisteredSchema(subject, version, id, parsed.canonical()));
    }

    /**
     * The version of {@code subject} holding {@code schemaText} (the newest if several do).
     *
     * @throws SchemaRegistryException 40401 no such subject, 40403 schema not under it, 42201 invalid
     */
    public RegisteredSchema lookup(String subject, String schemaText, boolean includeDeleted) {
        ParsedAvroSchema parsed = ParsedAvroSchema.parse(schemaText);
        return read(() -> {
            NavigableMap<Integer, StoredVersion> history = visibleHistory(subject, includeDeleted);
            for (StoredVersion version : history.descendingMap().values()) {
                if ((includeDeleted || !version.deleted())
                        && version.schema().canonical().equals(parsed.canonical())) {
                    return version.toRegistered();
                }
            }
            throw RegistryErrors.schemaNotFoundInSubject(subject);
        });
    }

    /** Subject names in order; soft-deleted subjects only when asked. */
    public List<String> subjects(boolean includeDeleted) {
        return read(() -> state.subjectNames(includeDeleted));
    }

    /** @throws SchemaRegistryException 40401 when the subject has no (visible) version */
    public List<Integer> versions(String subject, boolean includeDeleted) {
        return read(() -> {
            List<Integer> versions = new ArrayList<>();
            visibleHistory(subject, includeDeleted).forEach((number, version) -> {
                if (includeDeleted || !version.deleted()) {
                    versions.add(number);
                }
            });
            return versions;
        });
    }

    /**
     * One version, or the latest live one for {@link #LATEST}.
     *
     * @throws SchemaRegistryException 40401 no such subject, 40402 no such version
     */
    public RegisteredSchema version(String subject, int version, boolean includeDeleted) {
        return read(() -> resolve(subject, version, includeDeleted).toRegistered());
    }

    private StoredVersion resolve(String subject, int version, boolean includeDeleted) {
        NavigableMap<Integer, StoredVersion> history = visibleHistory(subject, includeDeleted);
        if (version == LATEST) {
            for (StoredVersion candidate : history.descendingMap().values()) {
                if (includeDeleted || !candidate.deleted()) {
                    return candidate;
                }
            }
            throw RegistryErrors.latestVersionNotFound(subject);
        }
        StoredVersion found = history.get(version);
        if (found == null || (found.deleted() && !includeDeleted)) {
            throw RegistryErrors.versionNotFound(version);
        }
        return found;
    }

    private NavigableMap<Integer, StoredVersion> visibleHistory(String subject, boolean includeDeleted) {
        NavigableMap<Integer, StoredVersion> history = state.history(subject);
        if (history.isEmpty() || (!includeDeleted && history.values().stream().allMatch(StoredVersion::deleted))) {
            throw RegistryErrors.subjectNotFound(subject);
        }
        return history;
    }

    /**
     * Soft-deletes every live version, or permanently deletes a soft-deleted subject. A soft delete
     * also drops the subject's own compatibility level and mode, as Confluent does.
     *
     * @return the versions deleted
     * @throws SchemaRegistryException 40401, 40404 already soft-deleted, 40405 not soft-deleted first
     */
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        return write(() -> {
            requireWritable(subject);
            NavigableMap<Integer, StoredVersion> history = state.history(subject);
            if (history.isEmpty()) {
                throw RegistryErrors.subjectNotFound(subject);
            }
            List<RegistryEvent> events = new ArrayList<>();
            List<Integer> deleted = new ArrayList<>();
            if (permanent) {
                if (history.values().stream().anyMatch(v -> !v.deleted())) {
                    throw RegistryErrors.subjectNotSoftDeleted(subject);
                }
                events.add(new SchemaIdsReserved(state.maxId()));
                for (StoredVersion version : history.values()) {
                    events.add(new SchemaVersionErased(subject, version.version()));
                    deleted.add(version.version());
                }
            } else {
                for (StoredVersion version : history.values()) {
                    if (!version.deleted()) {
                        events.add(stored(version.softDeleted()));
                        deleted.add(version.version());
                    }
                }
                if (deleted.isEmpty()) {
                    throw RegistryErrors.subjectSoftDeleted(subject);
                }
                events.add(new SubjectDeleted(subject, history.lastKey()));
                state.subjectLevel(subject).ifPresent(level -> events.add(new CompatibilityChanged(subject, null)));
                state.subjectMode(subject).ifPresent(mode -> events.add(new ModeChanged(subject, null)));
            }
            return new Decision<>(events, deleted);
        });
    }

    /**
     * Soft-deletes one version, or permanently deletes a soft-deleted one. {@link #LATEST} means
     * the latest live version (for a permanent delete, the latest of all).
     *
     * @return the version number deleted
     * @throws SchemaRegistryException 40401, 40402, 40406 already soft-deleted, 40407 not soft-deleted first
     */
    public int deleteVersion(String subject, int version, boolean permanent) {
        return write(() -> {
            requireWritable(subject);
            StoredVersion target = deletionTarget(subject, version, permanent);
            if (permanent) {
                if (!target.deleted()) {
                    throw RegistryErrors.versionNotSoftDeleted(subject, target.version());
                }
                return new Decision<>(
                        List.of(
                                new SchemaIdsReserved(state.maxId()),
                                new SchemaVersionErased(subject, target.version())),
                        target.version());
            }
            if (target.deleted()) {
                throw RegistryErrors.versionSoftDeleted(subject, target.version());
            }
            return new Decision<>(List.of(stored(target.softDeleted())), target.version());
        });
    }

    /** The version a delete means: soft-deleted ones count, so that deleting one twice says so. */
    private StoredVersion deletionTarget(String subject, int version, boolean permanent) {
        NavigableMap<Integer, StoredVersion> history = state.history(subject);
        if (history.isEmpty()) {
            throw RegistryErrors.subjectNotFound(subject);
        }
        if (version != LATEST) {
            StoredVersion found = history.get(version);
            if (found == null) {
                throw RegistryErrors.versionNotFound(version);
            }
            return found;
        }
        for (StoredVersion candidate : history.descendingMap().values()) {
            if (permanent || !candidate.deleted()) {
                return candidate;
            }
        }
        throw RegistryErrors.latestVersionNotFound(subject);
    }

    private static RegistryEvent stored(StoredVersion version) {
        return new SchemaVersionStored(
                version.subject(),
                version.version(),
                version.id(),
                version.schema().canonical(),
                version.deleted());
    }

    // ---- schemas by id ----

    /** @throws SchemaRegistryException 40403 when no version uses the id */
    public ParsedAvroSchema schemaById(int id) {
        return read(() -> {
            ParsedAvroSchema schema = state.schemaById(id);
            if (schema == null) {
                throw RegistryErrors.schemaIdNotFound(id);
            }
            return schema;
        });
    }

    /** The subject versions that use the id. @throws SchemaRegistryException 40403 */
    public List<SubjectVersion> subjectVersionsById(int id, boolean includeDeleted) {
        return read(() -> {
            if (state.schemaById(id) == null) {
                throw RegistryErrors.schemaIdNotFound(id);
            }
            return state.usages(id).stream()
                    .filter(v -> includeDeleted || !v.deleted())
                    .map(v -> new SubjectVersion(v.subject(), v.version()))
                    .toList();
        });
    }

    /** The subjects that use the id. @throws SchemaRegistryException 40403 */
    public List<String> subjectsById(int id, boolean includeDeleted) {
        return subjectVersionsById(id, includeDeleted).stream()
                .map(SubjectVersion::subject)
                .distinct()
                .toList();
    }

    // ---- compatibility ----

    public CompatibilityLevel globalCompatibility() {
        return read(state::globalLevel);
    }

    public Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return read(() -> state.subjectLevel(subject));
    }

    /** The level that applies to the subject: its own, else the global one. */
    public CompatibilityLevel effectiveCompatibility(String subject) {
        return read(() -> effectiveLevel(subject));
    }

    private CompatibilityLevel effectiveLevel(String subject) {
        return state.subjectLevel(subject).orElse(state.globalLevel());
    }

    /** Sets the level of a subject, or the global level when {@code subject} is null. */
    public CompatibilityLevel setCompatibility(String subject, CompatibilityLevel level) {
        return write(() -> {
            Optional<CompatibilityLevel> current =
                    subject == null ? Optional.of(state.globalLevel()) : state.subjectLevel(subject);
            List<RegistryEvent> events = current.filter(level::equals).isPresent()
                    ? List.of()
                    : List.of(new CompatibilityChanged(subject, level));
            return new Decision<>(events, level);
        });
    }

    /**
     * Clears a subject's own level (or resets the global one to BACKWARD when {@code subject} is
     * null) and returns the level it had.
     *
     * @throws SchemaRegistryException 40408 when the subject has no level of its own
     */
    public CompatibilityLevel deleteCompatibility(String subject) {
        return write(() -> {
            CompatibilityLevel previous = subject == null
                    ? state.globalLevel()
                    : state.subjectLevel(subject)
                            .orElseThrow(() -> RegistryErrors.subjectCompatibilityNotConfigured(subject));
            return new Decision<>(List.of(new CompatibilityChanged(subject, null)), previous);
        });
    }

    /**
     * Tests a schema against the versions the subject's level looks at (the latest, or all live
     * ones for a transitive level). A subject without versions accepts anything.
     */
    public CompatibilityReport testCompatibility(String subject, String schemaText) {
        ParsedAvroSchema parsed = ParsedAvroSchema.parse(schemaText);
        return read(() -> {
            CompatibilityLevel level = effectiveLevel(subject);
            List<String> reasons = CompatibilityCheck.incompatibilities(
                    level, parsed.schema(), checkedVersions(state.history(subject), level));
            return new CompatibilityReport(reasons.isEmpty(), reasons);
        });
    }

    /**
     * Tests a schema against one version ({@link #LATEST} for the latest live one) in the direction
     * of the subject's level.
     *
     * @throws SchemaRegistryException 40401, 40402
     */
    public CompatibilityReport testCompatibility(String subject, int version, String schemaText) {
        ParsedAvroSchema parsed = ParsedAvroSchema.parse(schemaText);
        return read(() -> {
            NavigableMap<Integer, StoredVersion> history = state.history(subject);
            if (version == LATEST && history.values().stream().allMatch(StoredVersion::deleted)) {
                return new CompatibilityReport(true, List.of());
            }
            StoredVersion against = resolve(subject, version, false);
            List<String> reasons =
                    CompatibilityCheck.incompatibilities(effectiveLevel(subject), parsed.schema(), List.of(against));
            return new CompatibilityReport(reasons.isEmpty(), reasons);
        });
    }

    private static List<StoredVersion> checkedVersions(
            NavigableMap<Integer, StoredVersion> history, CompatibilityLevel level) {
        List<StoredVersion> live = new ArrayList<>();
        for (Map.Entry<Integer, StoredVersion> entry : history.descendingMap().entrySet()) {
            if (!entry.getValue().deleted()) {
                live.add(entry.getValue());
                if (!level.transitive()) {
                    break;
                }
            }
        }
        return live;
    }

    // ---- mode ----

    public RegistryMode mode() {
        return read(state::globalMode);
    }

    /**
     * Sets the global mode. IMPORT needs an empty registry unless {@code force}, so that imported
     * ids cannot collide with ids already handed out.
     *
     * @throws SchemaRegistryException 42205 when IMPORT is asked of a registry with subjects
     */
    public RegistryMode setMode(RegistryMode mode, boolean force) {
        return write(() -> {
            if (mode == RegistryMode.IMPORT && !force && state.hasSubjects()) {
                throw RegistryErrors.notPermitted(
                        "Cannot import since found existing subjects; set force=true to import anyway");
            }
            List<RegistryEvent> events = state.globalMode() == mode ? List.of() : List.of(new ModeChanged(null, mode));
            return new Decision<>(events, mode);
        });
    }

    private RegistryMode effectiveMode(String subject) {
        return state.subjectMode(subject).orElse(state.globalMode());
    }

    private void requireWritable(String subject) {
        if (effectiveMode(subject) == RegistryMode.READONLY) {
            throw RegistryErrors.notPermitted("Subject '" + subject + "' is in read-only mode");
        }
    }

    private static void requireSubject(String subject) {
        if (subject == null || subject.isBlank() || subject.chars().anyMatch(Character::isISOControl)) {
            throw RegistryErrors.notPermitted(
                    "Subject name '" + subject + "' is not valid: it must be non-empty without control characters");
        }
    }

    /** Closes the journal. */
    @Override
    public void close() {
        journal.close();
    }
}
