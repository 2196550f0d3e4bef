package city.heze.peony.producers.file;

import static org.assertj.core.api.Assertions.assertThat;

import city.heze.peony.producers.convert.FileFormat;
import city.heze.peony.producers.convert.RecordConverter;
import city.heze.peony.producers.convert.RecordSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dry run of a file with many bad lines: what is printed, counted and written to the rejects file. */
class FilePublicationTest {
    private static final Schema PERSON = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"Person\",\"namespace\":\"t\",\"fields\":["
                    + "{\"name\":\"recordId\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\"}]}");

    @TempDir
    Path dir;

    @Test
    void theFirstTwentyBadLinesArePrintedAndAllAreCountedAndKept() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("recordId,age");
        for (int i = 1; i <= 100; i++) {
            lines.add(i + "," + (i % 4 == 0 ? "old" : Integer.toString(i)));
        }
        Path file = dir.resolve("people.csv");
        Files.write(file, lines, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("people.csv.rejects"), "from an earlier run");
        StringWriter err = new StringWriter();
        PrintWriter printed = new PrintWriter(err, true);

        PublicationReport report;
        try (RecordSource source = RecordSource.open(file, FileFormat.CSV, RecordConverter.forSchema(PERSON));
                RejectsFile rejects = new RejectsFile(file, FileFormat.CSV, printed)) {
            report = new FilePublication("t.person", file.toString(), source, null, rejects, printed)
                    .run(printingTo(printed));
        }

        assertThat(report.read()).isEqualTo(100);
        assertThat(report.rejected()).isEqualTo(25);
        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.summary())
                .startsWith("read 100, published 0, rejected 25 in ")
                .contains("dry run: nothing was published, 75 lines would be")
                .endsWith("bad lines are in " + file + ".rejects");
        List<String> shown = List.of(err.toString().split("\n"));
        assertThat(shown).hasSize(21);
        assertThat(shown.get(0))
                .isEqualTo(file + ":5: field 'age': expected an int (a whole number from -2147483648 to"
                        + " 2147483647), found \"old\"");
        assertThat(shown.get(20)).isEqualTo("… and 5 more bad lines, all in " + file + ".rejects");
        List<String> kept = Files.readAllLines(dir.resolve("people.csv.rejects"), StandardCharsets.UTF_8);
        assertThat(kept).hasSize(1 + 1 + 2 * 25);
        assertThat(kept.get(1)).isEqualTo("recordId,age");
        assertThat(kept.get(2)).startsWith("# line 5: field 'age': ");
        assertThat(kept.get(3)).isEqualTo("4,old");
        assertThat(kept.get(kept.size() - 1)).isEqualTo("100,old");
    }

    @Test
    void aRunWithoutBadLinesRemovesTheRejectsOfAnEarlierRun() throws IOException {
        Path file = dir.resolve("people.jsonl");
        Files.writeString(file, "{\"recordId\":\"1\",\"age\":3}\n");
        Path stale = Files.writeString(dir.resolve("people.jsonl.rejects"), "from an earlier run");

        PrintWriter ignored = new PrintWriter(new StringWriter());
        PublicationReport report;
        try (RecordSource source = RecordSource.open(file, FileFormat.JSON_LINES, RecordConverter.forSchema(PERSON));
                RejectsFile rejects = new RejectsFile(file, FileFormat.JSON_LINES, ignored)) {
            report = new FilePublication("t.person", file.toString(), source, null, rejects, ignored)
                    .run(printingTo(ignored));
        }

        assertThat(report.exitCode()).isZero();
        assertThat(report.rejectsFile()).isNull();
        assertThat(stale).doesNotExist();
    }

    /** Shows the bad lines as peony publish's progress display does, without its periodic count. */
    private static PublicationProgress printingTo(PrintWriter out) {
        return new PublicationProgress() {
            @Override
            public void read(long lines) {}

            @Override
            public void println(String line) {
                out.println(line);
            }
        };
    }
}
