package city.heze.peony.ops.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.RuleKind;
import city.heze.peony.avro.common.ShareType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogFileTest {
    private static final Path CATALOGS = Path.of("catalog");

    @TempDir
    Path dir;

    @Test
    void everyCatalogUnderOpsCatalogLoads() throws Exception {
        List<Path> files = CatalogFile.filesIn(CATALOGS);
        List<CatalogEntry> entries = files.stream().map(CatalogFile::load).toList();

        assertThat(entries).hasSizeGreaterThanOrEqualTo(12);
        Set<String> departments =
                entries.stream().map(CatalogEntry::getDepartment).collect(Collectors.toSet());
        assertThat(departments).hasSizeGreaterThanOrEqualTo(6);
        for (CatalogEntry e : entries) {
            Schema schema = new Schema.Parser().parse(e.getSchema$());
            assertThat(schema.getField(e.getKeyField() == null ? "recordId" : e.getKeyField()))
                    .as(e.getId())
                    .isNotNull();
            assertThat(e.getFieldRules()).as(e.getId()).isNotEmpty();
        }
    }

    @Test
    void readsTheSocialAssistanceCatalog() {
        CatalogEntry e = CatalogFile.load(CATALOGS.resolve("mz.social-assistance.yaml"));
        assertThat(e.getName()).isEqualTo("社会救助对象信息");
        assertThat(e.getShareType()).isEqualTo(ShareType.CONDITIONAL);
        assertThat(e.getShareDeadlineWorkingDays()).isEqualTo(5);
        assertThat(e.getFieldRules()).anySatisfy(r -> {
            assertThat(r.getKind()).isEqualTo(RuleKind.RESIDENT_ID);
            assertThat(r.getParameters()).containsEntry("regions", "heze");
        });
        assertThat(new Schema.Parser().parse(e.getSchema$()).getFullName())
                .isEqualTo("city.heze.peony.avro.dept.SocialAssistanceRecipient");
    }

    @Test
    void anInlineSchemaIsParsed() {
        CatalogEntry e = CatalogFile.load(CATALOGS.resolve("mz.marriage-registration.yaml"));
        assertThat(new Schema.Parser().parse(e.getSchema$()).getFullName())
                .isEqualTo("city.heze.peony.catalog.mz.MarriageRegistration");
    }

    @Test
    void anUnknownRuleKindNamesTheFileAndTheRule() throws Exception {
        Path file = copyWith("sw.tax-registration", "kind: CREDIT_CODE}", "kind: CREDIT_KODE}");
        assertThatThrownBy(() -> CatalogFile.load(file))
                .isInstanceOf(CatalogFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("rules[0].kind")
                .hasMessageContaining("'CREDIT_KODE' is not one of");
    }

    @Test
    void aRuleOnAFieldTheSchemaLacksIsRefused() throws Exception {
        Path file = copyWith("sw.tax-registration", "field: taxpayerName", "field: taxpayerNom");
        assertThatThrownBy(() -> CatalogFile.load(file))
                .isInstanceOf(CatalogFileException.class)
                .hasMessageContaining("'rules'")
                .hasMessageContaining("taxpayerNom");
    }

    @Test
    void anIdThatDiffersFromTheFileNameIsRefused() throws Exception {
        Path file = copyWith("sw.tax-registration", "id: sw.tax-registration", "id: sw.tax");
        assertThatThrownBy(() -> CatalogFile.load(file))
                .hasMessageContaining("field 'id'")
                .hasMessageContaining("differs from the file name");
    }

    @Test
    void brokenYamlGivesTheLine() throws Exception {
        Path file = dir.resolve("x.y.yaml");
        Files.writeString(file, "id: x.y\nname: [\n");
        assertThatThrownBy(() -> CatalogFile.load(file))
                .isInstanceOf(CatalogFileException.class)
                .hasMessageContaining(file + ":2:")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void aMissingRequiredFieldIsNamed() throws Exception {
        Path file = copyWith("sw.tax-registration", "updateCycle: MONTHLY\n", "");
        assertThatThrownBy(() -> CatalogFile.load(file)).hasMessageContaining("field 'updateCycle': missing");
    }

    @Test
    void anInvalidInlineSchemaGivesAvrosReason() throws Exception {
        Path file = copyWith("sw.tax-registration", "type: {type: int, logicalType: date}", "type: {type: integer}");
        assertThatThrownBy(() -> CatalogFile.load(file))
                .hasMessageContaining("schema.inline")
                .hasMessageContaining("not a valid Avro schema");
    }

    @Test
    void partitionsAreReadWhenGivenAndLeftToTheRegistrarOtherwise() throws Exception {
        assertThat(CatalogFile.loadRequest(CATALOGS.resolve("sw.tax-registration.yaml"))
                        .partitions())
                .isEmpty();
        Path file = copyWith("sw.tax-registration", "updateCycle: MONTHLY\n", "updateCycle: MONTHLY\npartitions: 12\n");
        assertThat(CatalogFile.loadRequest(file).partitions()).hasValue(12);
    }

    @Test
    void partitionsBelowOneOrNotANumberAreRefused() throws Exception {
        for (String bad : List.of("0", "-3", "two", "1.5")) {
            Path file = copyWith(
                    "sw.tax-registration", "updateCycle: MONTHLY\n", "updateCycle: MONTHLY\npartitions: " + bad + "\n");
            assertThatThrownBy(() -> CatalogFile.load(file))
                    .isInstanceOf(CatalogFileException.class)
                    .hasMessage(file + ": field 'partitions': '" + bad + "' is not a partition count (1 or more)");
        }
    }

    private Path copyWith(String id, String from, String to) throws Exception {
        String text = Files.readString(CATALOGS.resolve(id + ".yaml"));
        assertThat(text).contains(from);
        Path file = dir.resolve(id + ".yaml");
        Files.writeString(file, text.replace(from, to));
        return file;
    }
}
