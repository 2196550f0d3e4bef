package city.heze.peony.registry;

import static city.heze.peony.schemas.TestSchemas.RESIDENT_V1;
import static city.heze.peony.schemas.TestSchemas.RESIDENT_V2;
import static city.heze.peony.schemas.TestSchemas.RESIDENT_V3;
import static city.heze.peony.schemas.TestSchemas.RESIDENT_WITHOUT_NAME;
import static city.heze.peony.schemas.TestSchemas.RESIDENT_WITH_EMAIL;
import static city.heze.peony.schemas.TestSchemas.VEHICLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.schemas.TestSchemas;
import city.heze.peony.schemas.registry.CompatibilityLevel;
import city.heze.peony.schemas.registry.CompatibilityReport;
import city.heze.peony.schemas.registry.RegisteredSchema;
import city.heze.peony.schemas.registry.RegistryErrors;
import city.heze.peony.schemas.registry.RegistryMode;
import city.heze.peony.schemas.registry.SchemaRegistryException;
import city.heze.peony.schemas.registry.SubjectVersion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaRegistryTest {
    private final SchemaRegistry registry = SchemaRegistry.inMemory();

    private static void assertCode(ThrowingCallable call, int code, String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e ->
                        assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(code))
                .hasMessageContaining(messagePart);
    }

    @Test
    void idsStartAtOneAndVersionsCountPerSubject() {
        RegisteredSchema first = registry.register("residents-value", RESIDENT_V1);
        RegisteredSchema second = registry.register("residents-value", RESIDENT_V2);
        RegisteredSchema vehicle = registry.register("vehicles-value", VEHICLE);

        assertThat(first).isEqualTo(new RegisteredSchema("residents-value", 1, 1, first.schema()));
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.id()).isEqualTo(2);
        assertThat(vehicle.version()).isEqualTo(1);
        assertThat(vehicle.id()).isEqualTo(3);
        assertThat(registry.versions("residents-value", false)).containsExactly(1, 2);
        assertThat(registry.subjects(false)).containsExactly("residents-value", "vehicles-value");
    }

    @Test
    void theSameSchemaUnderAnotherSubjectKeepsItsId() {
        int id = registry.register("residents-value", RESIDENT_V1).id();

        RegisteredSchema elsewhere = registry.register("archive-value", RESIDENT_V1);

        assertThat(elsewhere.id()).isEqualTo(id);
        assertThat(elsewhere.version()).isEqualTo(1);
        assertThat(registry.subjectsById(id, false)).containsExactly("archive-value", "residents-value");
        assertThat(registry.subjectVersionsById(id, false))
                .containsExactly(new SubjectVersion("archive-value", 1), new SubjectVersion("residents-value", 1));
    }

    @Test
    void registeringAgainIsIdempotent() {
        RegisteredSchema first = registry.register("residents-value", RESIDENT_V1);

        RegisteredSchema again = registry.register("residents-value", RESIDENT_V1);

        assertThat(again).isEqualTo(first);
        assertThat(registry.versions("residents-value", false)).containsExactly(1);
    }

    @Test
    void whitespaceAndAttributeOrderDoNotMakeANewSchema() {
        int id = registry.register("residents-value", RESIDENT_V1).id();
        String reformatted = """
                {  "namespace" : "city.heze.test",
                   "fields" : [ { "type" : "string", "name" : "name" } ],
                   "name" : "Resident", "type" : "record" }""";

        assertThat(registry.register("residents-value", reformatted).id()).isEqualTo(id);
        assertThat(registry.lookup("residents-value", reformatted, false).version())
                .isEqualTo(1);
    }

    @Test
    void aDifferentDefaultOrLogicalTypeIsADifferentSchema() {
        registry.setCompatibility(null, CompatibilityLevel.NONE);
        int withDefault = registry.register("s", RESIDENT_V2).id();
        int withoutDefault = registry.register("s", RESIDENT_V3).id();
        int plainLong = registry.register("t", "{\"type\":\"long\"}").id();
        int timestamp = registry.register("t", "{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}")
                .id();

        assertThat(withDefault).isNotEqualTo(withoutDefault);
        assertThat(plainLong).isNotEqualTo(timestamp);
    }

    @Test
    void anInvalidSchemaIs42201WithAvrosParseMessage() {
        assertCode(
                () -> registry.register("s", "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\"}]}"),
                RegistryErrors.INVALID_SCHEMA,
                "No field type");
        assertCode(() -> registry.register("s", "{not json"), RegistryErrors.INVALID_SCHEMA, "Invalid schema");
        assertCode(() -> registry.register("s", " "), RegistryErrors.INVALID_SCHEMA, "empty");
        assertCode(
                () -> registry.register(
                        "s",
                        "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\",\"default\":\"x\"}]}"),
                RegistryErrors.INVALID_SCHEMA,
                "default");
    }

    static Stream<Arguments> compatibilityFacts() {
        // old = RESIDENT_V2; columns: level, candidate, registrable
        return Stream.of(
                Arguments.of(CompatibilityLevel.BACKWARD, RESIDENT_WITH_EMAIL, false),
                Arguments.of(CompatibilityLevel.BACKWARD, RESIDENT_WITHOUT_NAME, true),
                Arguments.of(CompatibilityLevel.FORWARD, RESIDENT_WITH_EMAIL, true),
                Arguments.of(CompatibilityLevel.FORWARD, RESIDENT_WITHOUT_NAME, false),
                Arguments.of(CompatibilityLevel.FULL, RESIDENT_WITH_EMAIL, false),
                Arguments.of(CompatibilityLevel.FULL, RESIDENT_WITHOUT_NAME, false),
                Arguments.of(CompatibilityLevel.FULL, RESIDENT_V1, true),
                Arguments.of(CompatibilityLevel.NONE, VEHICLE, true),
                Arguments.of(CompatibilityLevel.BACKWARD, VEHICLE, false),
                Arguments.of(CompatibilityLevel.BACKWARD_TRANSITIVE, RESIDENT_WITH_EMAIL, false),
                Arguments.of(CompatibilityLevel.FORWARD_TRANSITIVE, RESIDENT_WITHOUT_NAME, false),
                Arguments.of(CompatibilityLevel.FULL_TRANSITIVE, RESIDENT_V1, true));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("compatibilityFacts")
    void eachLevelChecksItsDirection(CompatibilityLevel level, String candidate, boolean registrable) {
        registry.register("residents-value", RESIDENT_V2);
        registry.setCompatibility("residents-value", level);

        assertThat(registry.testCompatibility("residents-value", candidate).compatible())
                .isEqualTo(registrable);
        if (registrable) {
            assertThat(registry.register("residents-value", candidate).version())
                    .isEqualTo(2);
        } else {
            assertCode(
                    () -> registry.register("residents-value", candidate),
                    RegistryErrors.INCOMPATIBLE_SCHEMA,
                    "incompatible with an earlier schema for subject \"residents-value\"");
        }
    }

    @Test
    void transitiveLevelsCheckEveryLiveVersionTheOthersOnlyTheLatest() {
        registry.register("backward-value", RESIDENT_V1);
        registry.register("backward-value", RESIDENT_V2);
        registry.register("transitive-value", RESIDENT_V1);
        registry.register("transitive-value", RESIDENT_V2);
        registry.setCompatibility("transitive-value", CompatibilityLevel.BACKWARD_TRANSITIVE);

        assertThat(registry.register("backward-value", RESIDENT_V3).version()).isEqualTo(3);
        assertCode(
                () -> registry.register("transitive-value", RESIDENT_V3),
                RegistryErrors.INCOMPATIBLE_SCHEMA,
                "{oldSchemaVersion: 1}");
    }

    @Test
    void theIncompatibleAnswerCarriesAvrosReason() {
        registry.register("residents-value", RESIDENT_V2);

        assertCode(
                () -> registry.register("residents-value", RESIDENT_WITH_EMAIL),
                RegistryErrors.INCOMPATIBLE_SCHEMA,
                "errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'");
        CompatibilityReport report = registry.testCompatibility("residents-value", 1, RESIDENT_WITH_EMAIL);
        assertThat(report.compatible()).isFalse();
        assertThat(report.messages())
                .anySatisfy(m -> assertThat(m).contains("email").contains("/fields/2"))
                .contains("{oldSchemaVersion: 1}", "{compatibility: 'BACKWARD'}");
    }

    @Test
    void compatibilityTestsOfMissingSubjectsAndVersions() {
        assertThat(registry.testCompatibility("nothing-value", SchemaRegistry.LATEST, VEHICLE)
                        .compatible())
                .isTrue();
        assertCode(
                () -> registry.testCompatibility("nothing-value", 1, VEHICLE),
                RegistryErrors.SUBJECT_NOT_FOUND,
                "'nothing-value'");
        registry.register("vehicles-value", VEHICLE);
        assertCode(
                () -> registry.testCompatibility("vehicles-value", 7, VEHICLE),
                RegistryErrors.VERSION_NOT_FOUND,
                "Version 7");
    }

    @Test
    void notFoundErrors() {
        registry.register("residents-value", RESIDENT_V1);

        assertCode(
                () -> registry.versions("ghost", false), RegistryErrors.SUBJECT_NOT_FOUND, "Subject 'ghost' not found");
        assertCode(() -> registry.version("residents-value", 9, false), RegistryErrors.VERSION_NOT_FOUND, "Version 9");
        assertCode(() -> registry.schemaById(99), RegistryErrors.SCHEMA_NOT_FOUND, "Schema 99 not found");
        assertCode(
                () -> registry.lookup("residents-value", VEHICLE, false),
                RegistryErrors.SCHEMA_NOT_FOUND,
                "residents-value");
        assertCode(() -> registry.lookup("ghost", VEHICLE, false), RegistryErrors.SUBJECT_NOT_FOUND, "ghost");
    }

    @Test
    void softDeleteHidesVersionsButKeepsTheirIds() {
        int v1 = registry.register("residents-value", RESIDENT_V1).id();
        registry.register("residents-value", RESIDENT_V2);

        assertThat(registry.deleteVersion("residents-value", SchemaRegistry.LATEST, false))
                .isEqualTo(2);

        assertThat(registry.versions("residents-value", false)).containsExactly(1);
        assertThat(registry.versions("residents-value", true)).containsExactly(1, 2);
        assertThat(registry.version("residents-value", SchemaRegistry.LATEST, false)
                        .version())
                .isEqualTo(1);
        assertThat(registry.version("residents-value", 2, true).version()).isEqualTo(2);
        assertCode(() -> registry.version("residents-value", 2, false), RegistryErrors.VERSION_NOT_FOUND, "Version 2");
        assertThat(registry.schemaById(2).canonical()).contains("age");

        assertThat(registry.deleteSubject("residents-value", false)).containsExactly(1);
        assertThat(registry.subjects(false)).isEmpty();
        assertThat(registry.subjects(true)).containsExactly("residents-value");
        assertCode(
                () -> registry.versions("residents-value", false), RegistryErrors.SUBJECT_NOT_FOUND, "residents-value");

        RegisteredSchema again = registry.register("residents-value", RESIDENT_V1);
        assertThat(again.id()).isEqualTo(v1);
        assertThat(again.version()).isEqualTo(3);
    }

    @Test
    void deletesFollowConfluentsOrder() {
        registry.register("residents-value", RESIDENT_V1);

        assertCode(
                () -> registry.deleteVersion("residents-value", 1, true),
                RegistryErrors.VERSION_NOT_SOFT_DELETED,
                "Version 1 was not deleted first");
        assertCode(
                () -> registry.deleteSubject("residents-value", true),
                RegistryErrors.SUBJECT_NOT_SOFT_DELETED,
                "was not deleted first");
        registry.deleteVersion("residents-value", 1, false);
        assertCode(
                () -> registry.deleteVersion("residents-value", 1, false),
                RegistryErrors.VERSION_SOFT_DELETED,
                "Set permanent=true");
        assertCode(
                () -> registry.deleteSubject("residents-value", false),
                RegistryErrors.SUBJECT_SOFT_DELETED,
                "was soft deleted");
        assertCode(() -> registry.deleteSubject("ghost", false), RegistryErrors.SUBJECT_NOT_FOUND, "ghost");

        assertThat(registry.deleteSubject("residents-value", true)).containsExactly(1);
        assertThat(registry.subjects(true)).isEmpty();
        assertCode(() -> registry.schemaById(1), RegistryErrors.SCHEMA_NOT_FOUND, "Schema 1");
    }

    @Test
    void idsAreNeverReusedNotEvenAfterAPermanentDelete() {
        registry.register("a-value", RESIDENT_V1);
        int highest = registry.register("b-value", VEHICLE).id();
        registry.deleteSubject("b-value", false);
        registry.deleteSubject("b-value", true);

        int next = registry.register("c-value", TestSchemas.numbered(1)).id();
        int vehicleAgain = registry.register("b-value", VEHICLE).id();

        assertThat(next).isGreaterThan(highest);
        assertThat(vehicleAgain).isGreaterThan(next);
        assertThat(registry.version("b-value", SchemaRegistry.LATEST, false).version())
                .isEqualTo(1);
    }

    @Test
    void aSubjectLevelOverridesTheGlobalOneUntilDeleted() {
        assertThat(registry.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
        assertCode(
                () -> registry.deleteCompatibility("residents-value"),
                RegistryErrors.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                "does not have subject-level compatibility configured");

        registry.setCompatibility(null, CompatibilityLevel.FULL);
        registry.setCompatibility("residents-value", CompatibilityLevel.NONE);

        assertThat(registry.effectiveCompatibility("residents-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(registry.effectiveCompatibility("other")).isEqualTo(CompatibilityLevel.FULL);
        assertThat(registry.deleteCompatibility("residents-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(registry.subjectCompatibility("residents-value")).isEmpty();
        assertThat(registry.deleteCompatibility(null)).isEqualTo(CompatibilityLevel.FULL);
        assertThat(registry.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void softDeletingASubjectDropsItsOwnLevel() {
        registry.register("residents-value", RESIDENT_V1);
        registry.setCompatibility("residents-value", CompatibilityLevel.NONE);

        registry.deleteSubject("residents-value", false);

        assertThat(registry.subjectCompatibility("residents-value")).isEmpty();
    }

    @Test
    void levelsAndModesParseCaseInsensitivelyAndRefuseTheRest() {
        assertThat(CompatibilityLevel.parse("full_transitive")).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
        assertThat(RegistryMode.parse("readonly")).isEqualTo(RegistryMode.READONLY);
        assertCode(
                () -> CompatibilityLevel.parse("SIDEWAYS"), RegistryErrors.INVALID_COMPATIBILITY_LEVEL, "'SIDEWAYS'");
        assertCode(() -> RegistryMode.parse("WRITEONLY"), RegistryErrors.INVALID_MODE, "'WRITEONLY'");
    }

    @Test
    void readOnlyModeRefusesRegistrationsAndDeletes() {
        registry.register("residents-value", RESIDENT_V1);
        registry.setMode(RegistryMode.READONLY, false);

        assertCode(
                () -> registry.register("residents-value", RESIDENT_V2),
                RegistryErrors.OPERATION_NOT_PERMITTED,
                "read-only");
        assertCode(
                () -> registry.deleteSubject("residents-value", false),
                RegistryErrors.OPERATION_NOT_PERMITTED,
                "read-only");
        assertThat(registry.version("residents-value", 1, false).id()).isEqualTo(1);
        registry.setMode(RegistryMode.READWRITE, false);
        assertThat(registry.register("residents-value", RESIDENT_V2).version()).isEqualTo(2);
    }

    @Test
    void importModeKeepsGivenIdsAndLaterIdsStartAboveThem() {
        assertCode(
                () -> registry.register("residents-value", RESIDENT_V1, 40, 3),
                RegistryErrors.OPERATION_NOT_PERMITTED,
                "not in import mode");
        registry.setMode(RegistryMode.IMPORT, false);

        RegisteredSchema imported = registry.register("residents-value", RESIDENT_V1, 40, 3);
        assertCode(
                () -> registry.register("vehicles-value", VEHICLE, 40, 1),
                RegistryErrors.OPERATION_NOT_PERMITTED,
                "id 40");
        registry.setMode(RegistryMode.READWRITE, false);
        RegisteredSchema next = registry.register("residents-value", RESIDENT_V2);

        assertThat(imported).isEqualTo(new RegisteredSchema("residents-value", 3, 40, imported.schema()));
        assertThat(next.id()).isEqualTo(41);
        assertThat(next.version()).isEqualTo(4);
    }

    @Test
    void importModeNeedsAnEmptyRegistryOrForce() {
        registry.register("residents-value", RESIDENT_V1);

        assertCode(
                () -> registry.setMode(RegistryMode.IMPORT, false),
                RegistryErrors.OPERATION_NOT_PERMITTED,
                "existing subjects");
        assertThat(registry.setMode(RegistryMode.IMPORT, true)).isEqualTo(RegistryMode.IMPORT);
        assertThat(registry.mode()).isEqualTo(RegistryMode.IMPORT);
    }

    @Test
    void concurrentRegistrationsGetDistinctIdsAndTheSameSchemaOneId() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i % 50;
                ids.add(pool.submit(() -> registry.register("numbers-" + n, TestSchemas.numbered(n))
                        .id()));
            }
            Set<Integer> distinct = new HashSet<>();
            for (Future<Integer> id : ids) {
                distinct.add(id.get());
            }
            assertThat(distinct).hasSize(50);
            assertThat(distinct).allMatch(id -> id >= 1 && id <= 50);
        } finally {
            pool.shutdownNow();
        }
    }
}
