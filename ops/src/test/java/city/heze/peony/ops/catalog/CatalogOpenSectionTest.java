package city.heze.peony.ops.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.avro.common.OpenField;
import city.heze.peony.avro.common.OpenTreatment;
import city.heze.peony.avro.common.OpenType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code open:} section of catalog files: read, checked against the schema, refused with the file and field. */
class CatalogOpenSectionTest {
    private static final Path CATALOGS = Path.of("catalog");

    @TempDir
    Path dir;

    @Test
    void everyOpenCatalogDeclaresItsTreatmentAndDropsWhatIsPersonal() throws Exception {
        List<CatalogEntry> open = CatalogFile.filesIn(CATALOGS).stream()
                .map(CatalogFile::load)
                .filter(e -> e.getOpenType() == OpenType.OPEN)
                .toList();
        assertThat(open)
                .extracting(CatalogEntry::getId)
                .contains("scjg.business-registration", "scjg.business-deregistration");
        for (CatalogEntry e : open) {
            assertThat(e.getOpenFields()).as(e.getId()).isNotEmpty();
            assertThat(e.getOpenRequired()).as(e.getId()).isNotEmpty();
        }
        CatalogEntry registration = CatalogFile.load(CATALOGS.resolve("scjg.business-registration.yaml"));
        assertThat(registration.getOpenFields())
                .extracting(OpenField::getField, OpenField::getTreatment)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("legalRepresentativeId", OpenTreatment.DROP),
                        org.assertj.core.groups.Tuple.tuple("phone", OpenTreatment.DROP),
                        org.assertj.core.groups.Tuple.tuple("legalRepresentative", OpenTreatment.MASK),
                        org.assertj.core.groups.Tuple.tuple("establishedOn", OpenTreatment.DATE_YEAR_MONTH));
        assertThat(registration.getOpenFields().stream()
                        .filter(f -> f.getField().equals("legalRepresentative"))
                        .findFirst()
                        .orElseThrow()
                        .getParameters())
                .containsEntry("keepFirst", "1")
                .containsEntry("personName", "true");
        assertThat(CatalogJson.of(registration, false)).containsKeys("openFields", "openRequired");
    }

    @Test
    void anUnknownTreatmentNamesTheFileAndTheField() throws Exception {
        Path file = copyWith("{field: phone, treatment: DROP}", "{field: phone, treatment: SCRAMBLE}");
        assertThatThrownBy(() -> CatalogFile.load(file))
                .isInstanceOf(CatalogFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("open.fields[11].treatment")
                .hasMessageContaining("'SCRAMBLE' is not one of");
    }

    @Test
    void aFieldTheSchemaLacksIsRefused() throws Exception {
        Path file = copyWith("{field: phone, treatment: DROP}", "{field: fax, treatment: DROP}");
        assertThatThrownBy(() -> CatalogFile.load(file))
                .isInstanceOf(CatalogFileException.class)
                .hasMessageContaining(file + ": field 'open': open field 'fax': no such field in"
                        + " city.heze.peony.avro.dept.BusinessRegistration");
    }

    @Test
    void aTreatmentThatDoesNotFitTheTypeIsRefused() throws Exception {
        Path file = copyWith("{field: status, treatment: KEEP}", "{field: status, treatment: DATE_YEAR}");
        assertThatThrownBy(() -> CatalogFile.load(file))
                .isInstanceOf(CatalogFileException.class)
                .hasMessageContaining(
                        "field 'open': open field 'status' (enum): DATE_YEAR does not fit; expected a date");
    }

    @Test
    void aRequiredFieldThatIsDroppedIsRefused() throws Exception {
        Path file = copyWith("required: [creditCode, entityName]", "required: [creditCode, phone]");
        assertThatThrownBy(() -> CatalogFile.load(file))
                .isInstanceOf(CatalogFileException.class)
                .hasMessageContaining("open required field 'phone': it is not opened");
    }

    private Path copyWith(String from, String to) throws Exception {
        String text = Files.readString(CATALOGS.resolve("scjg.business-registration.yaml"));
        assertThat(text).contains(from);
        Path file = dir.resolve("scjg.business-registration.yaml");
        Files.writeString(file, text.replace(from, to));
        return file;
    }
}
