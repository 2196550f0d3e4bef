package city.heze.peony.producers.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** CSV rows into records: every Avro type (complex ones as JSON in the cell), empty cells, and each kind of bad row. */
class RecordConverterCsvTest {
    private final RecordConverter converter = RecordConverter.forSchema(Everything.SCHEMA);
    private final RecordConverter.CsvColumns columns =
            converter.csvColumns(Arrays.asList(Everything.CSV_HEADER.split(",")));

    @Test
    void everyAvroTypeConvertsFromCsv() throws IOException {
        Everything.assertTheGoodRow(converter.fromCsv(columns, cells(Everything.CSV_ROW)));
    }

    @Test
    void columnsMayComeInAnyOrderAndOptionalOnesMayBeLeftOut() throws IOException {
        List<String> header = Arrays.asList(Everything.CSV_HEADER.split(","));
        java.util.Collections.reverse(header);
        String[] row = cells(Everything.CSV_ROW);
        java.util.Collections.reverse(Arrays.asList(row));

        Everything.assertTheGoodRow(converter.fromCsv(converter.csvColumns(header), row));
    }

    @Test
    void anEmptyCellIsTheDefaultOrNullAndAQuotedEmptyCellIsAnEmptyString() throws IOException {
        RecordConverter.CsvColumns withDefaults =
                converter.csvColumns(Arrays.asList((Everything.CSV_HEADER + ",withDefault").split(",")));
        String row = Everything.CSV_ROW.replace(",有,text,", ",,\"\",") + ",";

        GenericRecord record = converter.fromCsv(withDefaults, cells(row));

        assertThat(record.get("maybe")).as("empty cell of a nullable field").isNull();
        assertThat(record.get("either"))
                .as("quoted empty cell: the string branch")
                .isEqualTo("");
        assertThat(record.get("withDefault"))
                .as("empty cell of a field with a default")
                .isEqualTo(7);
    }

    @Test
    void anEmptyCellOfARequiredStringIsAnEmptyStringForValidationToJudge() throws IOException {
        String row = Everything.CSV_ROW.replace(",张伟 菏泽市牡丹区,", ",,");

        assertThat(converter.fromCsv(columns, cells(row)).get("name")).isEqualTo("");
    }

    @Test
    void chineseTextAndQuotedCommasAndNewlinesStayIntact() throws IOException {
        String row = Everything.CSV_ROW.replace(",张伟 菏泽市牡丹区,", ",\"王, 芳\n\"\"二号\"\"\",");

        assertThat(converter.fromCsv(columns, cells(row)).get("name")).isEqualTo("王, 芳\n\"二号\"");
    }

    @Test
    void aRowWithTheWrongNumberOfColumnsIsABadRow() throws IOException {
        assertRejected(Everything.CSV_ROW + ",extra", null, "expected 23 columns as in the header, found 24");
        assertRejected(
                Everything.CSV_ROW.substring(0, Everything.CSV_ROW.lastIndexOf(',')),
                null,
                "expected 23 columns as in the header, found 22");
    }

    @Test
    void aValueOfTheWrongTypeIsABadRow() throws IOException {
        assertRejected(
                Everything.CSV_ROW.replace(",42,", ",forty-two,"),
                "count",
                "expected an int (a whole number from -2147483648 to 2147483647), found \"forty-two\"");
        assertRejected(Everything.CSV_ROW.replace(",42,", ",,"), "count", "empty, expected an int");
        assertRejected(Everything.CSV_ROW.replace(",true,", ",yes,"), "flag", "expected a boolean");
        assertRejected(Everything.CSV_ROW.replace(",1.5,", ",1.5f,"), "ratio", "expected a float");
        assertRejected(Everything.CSV_ROW.replace("\"[1,2,3]\"", "\"[1,2\""), "numbers", "not valid JSON");
        assertRejected(Everything.CSV_ROW.replace("\"[1,2,3]\"", "\"[1,\"\"x\"\"]\""), "numbers[1]", "expected an int");
        assertRejected(
                Everything.CSV_ROW.replace("\"{\"\"x\"\":1}\"", ""),
                "inner",
                "empty, expected a JSON object of record Inner");
    }

    @Test
    void anUnknownEnumSymbolIsABadRow() throws IOException {
        assertRejected(Everything.CSV_ROW.replace(",GREEN,", ",green,"), "colour", "unknown symbol \"green\"");
    }

    @Test
    void aDecimalOverflowIsABadRow() throws IOException {
        assertRejected(Everything.CSV_ROW.replace(",1234.5,", ",123456.7,"), "amount", "overflows precision 6");
        assertRejected(Everything.CSV_ROW.replace(",1234.5,", ",1234.567,"), "amount", "more than 2 decimal places");
    }

    @Test
    void brokenQuotingIsABadRow() throws IOException {
        assertThat(parse("a,b\"c,d").error()).contains("unexpected '\"' inside the unquoted cell 2");
        assertThat(parse("a,\"b\"c,d").error()).contains("unexpected 'c' after the closing quote of cell 2");
        assertThat(parse("a,\"b,c").error()).contains("the quoted cell 2 is not closed before the end of the file");
    }

    @Test
    void theParserTellsEmptyFromQuotedEmptyAndCountsTrailingCommas() throws IOException {
        assertThat(parse("a,,\"\",").cells()).containsExactly("a", null, "", null);
    }

    @Test
    void aHeaderWithAnUnknownMissingOrRepeatedColumnIsRefused() {
        assertThatThrownBy(() -> converter.csvColumns(List.of("count", "colur")))
                .hasMessageContaining("column 2 'colur' is not a field of city.heze.peony.test.Everything");
        assertThatThrownBy(() -> converter.csvColumns(Arrays.asList(
                        Everything.CSV_HEADER.replace(",count,", ",").split(","))))
                .hasMessageContaining("no column 'count', which city.heze.peony.test.Everything requires");
        assertThatThrownBy(() -> converter.csvColumns(Arrays.asList((Everything.CSV_HEADER + ",count").split(","))))
                .hasMessageContaining("column 'count' appears twice (columns 3 and 24)");
    }

    private void assertRejected(String row, String field, String reason) throws IOException {
        String[] cells = cells(row);
        assertThatThrownBy(() -> converter.fromCsv(columns, cells))
                .isInstanceOfSatisfying(ConversionException.class, e -> {
                    assertThat(e.field()).as("field of " + e.getMessage()).isEqualTo(field);
                    assertThat(e.reason()).contains(reason);
                });
    }

    private static String[] cells(String row) throws IOException {
        CsvParser.CsvRecord record = parse(row);
        assertThat(record.error()).as(row).isNull();
        return record.cells();
    }

    private static CsvParser.CsvRecord parse(String text) throws IOException {
        return new CsvParser(new Utf8Lines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))).next();
    }
}
