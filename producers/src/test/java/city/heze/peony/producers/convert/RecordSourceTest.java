package city.heze.peony.producers.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole files: line numbers of bad rows, blank lines, byte-order marks, bad UTF-8, CSV headers. */
class RecordSourceTest {
    private static final Schema PERSON = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"Person\",\"namespace\":\"t\",\"fields\":["
                    + "{\"name\":\"recordId\",\"type\":\"string\"},{\"name\":\"name\",\"type\":\"string\"},"
                    + "{\"name\":\"age\",\"type\":\"int\"},"
                    + "{\"name\":\"sex\",\"type\":{\"type\":\"enum\",\"name\":\"Sex\",\"symbols\":[\"MALE\",\"FEMALE\"]}},"
                    + "{\"name\":\"phone\",\"type\":[\"null\",\"string\"],\"default\":null}]}");

    @TempDir
    Path dir;

    private final RecordConverter converter = RecordConverter.forSchema(PERSON);

    @Test
    void jsonLinesNamesEachBadLineByNumberAndKeepsTheGoodOnes() throws IOException {
        Path file = write(
                "people.jsonl",
                "\uFEFF{\"recordId\":\"1\",\"name\":\"张伟\",\"age\":30,\"sex\":\"MALE\"}\n"
                        + "{\"recordId\":\"2\",\"name\":\"李娜\",\"age\":\"thirty\",\"sex\":\"FEMALE\"}\n"
                        + "\n"
                        + "{\"recordId\":\"3\",\"name\":\"王芳\",\"age\":41,\"sex\":\"FEMALE\",\"phone\":\"13800138000\"}\n"
                        + "{\"recordId\":\"4\",\"name\":\"刘洋\",\"age\":25,\"sex\":\"男\"}\n"
                        + "not json at all\n"
                        + "{\"recordId\":\"6\",\"name\":\"陈静\",\"age\":33,\"sex\":\"FEMALE\"}\n");

        List<Row> rows = readAll(file, FileFormat.JSON_LINES);

        assertThat(rows).extracting(Row::line).containsExactly(1L, 2L, 4L, 5L, 6L, 7L);
        assertThat(rows.stream().filter(Row::accepted).map(r -> r.record().get("name")))
                .containsExactly("张伟", "王芳", "陈静");
        List<RowRejection> rejections =
                rows.stream().map(Row::rejection).filter(r -> r != null).toList();
        assertThat(rejections).extracting(RowRejection::line).containsExactly(2L, 5L, 6L);
        assertThat(rejections.get(0).toString())
                .isEqualTo(file + ":2: field 'age': expected an int (a whole number from -2147483648 to 2147483647),"
                        + " found string \"thirty\"");
        assertThat(rejections.get(1).field()).isEqualTo("sex");
        assertThat(rejections.get(1).reason()).contains("unknown symbol \"男\"");
        assertThat(rejections.get(2).field()).isNull();
        assertThat(rejections.get(2).reason()).startsWith("not valid JSON");
        assertThat(rejections.get(2).text()).isEqualTo("not json at all");
    }

    @Test
    void csvCountsLinesOfQuotedCellsThatSpanLines() throws IOException {
        Path file = write(
                "people.csv", "recordId,name,age,sex\n" + "1,\"张\n伟\",30,MALE\n" + "2,李娜,30\n" + "3,王芳,41,FEMALE\n");

        List<Row> rows = readAll(file, FileFormat.CSV);

        assertThat(rows).extracting(Row::line).containsExactly(2L, 4L, 5L);
        assertThat(rows.get(0).record().get("name")).isEqualTo("张\n伟");
        assertThat(rows.get(0).text()).isEqualTo("1,\"张\n伟\",30,MALE");
        assertThat(rows.get(1).rejection().toString())
                .isEqualTo(file + ":4: expected 4 columns as in the header, found 3");
        assertThat(rows.get(2).record().get("phone")).isNull();
    }

    @Test
    void aCsvHeaderThatDoesNotFitTheSchemaStopsTheFileAtLineOne() throws IOException {
        Path file = write("people.csv", "recordId,name,age\n1,张伟,30\n");

        assertThatThrownBy(() -> RecordSource.open(file, FileFormat.CSV, converter))
                .isInstanceOf(InputFileException.class)
                .hasMessage(file + ":1: header: no column 'sex', which t.Person requires (it has no default);"
                        + " expected a header with at least the required fields");
    }

    @Test
    void anEmptyCsvFileIsRefused() throws IOException {
        Path file = write("empty.csv", "");

        assertThatThrownBy(() -> RecordSource.open(file, FileFormat.CSV, converter))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("the file is empty; expected a header row");
    }

    @Test
    void aJsonLineThatIsNotUtf8IsABadLineAndReadingGoesOn() throws IOException {
        Path file = dir.resolve("gbk.jsonl");
        Files.write(
                file,
                concat(
                        "{\"recordId\":\"1\",\"name\":\"a\",\"age\":1,\"sex\":\"MALE\"}\n"
                                .getBytes(StandardCharsets.UTF_8),
                        "{\"recordId\":\"2\",\"name\":\"张伟\",\"age\":1,\"sex\":\"MALE\"}\n".getBytes("GBK"),
                        "{\"recordId\":\"3\",\"name\":\"李娜\",\"age\":1,\"sex\":\"FEMALE\"}\n"
                                .getBytes(StandardCharsets.UTF_8)));

        List<Row> rows = readAll(file, FileFormat.JSON_LINES);

        assertThat(rows).extracting(Row::accepted).containsExactly(true, false, true);
        assertThat(rows.get(1).rejection().toString())
                .isEqualTo(file + ":2: not UTF-8 text; expected UTF-8 (is the file in GBK?)");
        assertThat(rows.get(2).record().get("name")).isEqualTo("李娜");
        assertThat(rows.get(2).text()).contains("李娜");
    }

    @Test
    void csvBytesThatAreNotUtf8StopTheReadingNamingTheLine() throws IOException {
        Path file = dir.resolve("gbk.csv");
        Files.write(
                file,
                concat(
                        "recordId,name,age,sex\n1,a,1,MALE\n".getBytes(StandardCharsets.UTF_8),
                        "2,张伟,1,MALE\n".getBytes("GBK")));

        try (RecordSource source = RecordSource.open(file, FileFormat.CSV, converter)) {
            assertThat(source.next().accepted()).isTrue();
            assertThatThrownBy(source::next)
                    .isInstanceOf(InputFileException.class)
                    .hasMessageStartingWith(file + ":3: not valid UTF-8");
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void readingAheadGivesTheSameRowsInOrderAndTheErrorWhereItHappened() throws IOException {
        StringBuilder text = new StringBuilder("recordId,name,age,sex\n");
        for (int i = 2; i <= 3001; i++) {
            text.append(i).append(",张,").append(i % 700 == 0 ? "old" : "1").append(",MALE\n");
        }
        Path file = dir.resolve("many.csv");
        Files.write(file, concat(text.toString().getBytes(StandardCharsets.UTF_8), "x,张伟,1,MALE\n".getBytes("GBK")));

        List<Row> direct = new ArrayList<>();
        List<Row> ahead = new ArrayList<>();
        IOException directError = readUntilError(RecordSource.open(file, FileFormat.CSV, converter), direct);
        IOException aheadError = readUntilError(
                RecordSource.readAhead(RecordSource.open(file, FileFormat.CSV, converter), "test"), ahead);

        assertThat(ahead).hasSize(3000);
        assertThat(ahead)
                .extracting(Row::line)
                .isEqualTo(direct.stream().map(Row::line).toList());
        assertThat(ahead)
                .extracting(Row::accepted)
                .isEqualTo(direct.stream().map(Row::accepted).toList());
        assertThat(ahead.stream().filter(r -> !r.accepted())).hasSize(4);
        assertThat(aheadError).isInstanceOf(InputFileException.class).hasMessage(directError.getMessage());
        assertThat(aheadError.getMessage()).startsWith(file + ":3002: not valid UTF-8");
    }

    private static IOException readUntilError(RecordSource source, List<Row> rows) throws IOException {
        try (source) {
            for (Row row = source.next(); row != null; row = source.next()) {
                rows.add(row);
            }
            return null;
        } catch (InputFileException e) {
            return e;
        }
    }

    @Test
    void utf8IsCheckedByTheStandardsRules() {
        assertThat(Utf8Lines.isUtf8(bytes(0xE8, 0x8F, 0x8F, 0xE6, 0xB3, 0xBD), 6))
                .as("菏泽")
                .isTrue();
        assertThat(Utf8Lines.isUtf8(bytes(0xF0, 0xA0, 0x80, 0x80), 4))
                .as("U+20000, outside the BMP")
                .isTrue();
        assertThat(Utf8Lines.isUtf8(bytes(0xC0, 0xAF), 2)).as("overlong '/'").isFalse();
        assertThat(Utf8Lines.isUtf8(bytes(0xED, 0xA0, 0x80), 3))
                .as("a surrogate")
                .isFalse();
        assertThat(Utf8Lines.isUtf8(bytes(0xE8, 0x8F), 2)).as("cut short").isFalse();
        assertThat(Utf8Lines.isUtf8(bytes(0xF4, 0x90, 0x80, 0x80), 4))
                .as("above U+10FFFF")
                .isFalse();
        assertThat(Utf8Lines.isUtf8(bytes(0xD5, 0xC5), 2)).as("GBK 张").isFalse();
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void theFormatComesFromTheExtensionOrTheOption() {
        assertThat(FileFormat.ofFile(Path.of("a.jsonl"))).isEqualTo(FileFormat.JSON_LINES);
        assertThat(FileFormat.ofFile(Path.of("a.CSV"))).isEqualTo(FileFormat.CSV);
        assertThat(FileFormat.named("jsonl")).isEqualTo(FileFormat.JSON_LINES);
        assertThatThrownBy(() -> FileFormat.ofFile(Path.of("a.txt"))).hasMessageContaining("--format jsonl|csv");
        assertThatThrownBy(() -> FileFormat.named("xml")).hasMessage("format 'xml': expected jsonl or csv");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private List<Row> readAll(Path file, FileFormat format) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (RecordSource source = RecordSource.open(file, format, converter)) {
            for (Row row = source.next(); row != null; row = source.next()) {
                rows.add(row);
            }
        }
        return rows;
    }
}
