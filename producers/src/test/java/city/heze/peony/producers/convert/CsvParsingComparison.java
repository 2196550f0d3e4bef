package city.heze.peony.producers.convert;

import city.heze.peony.avro.CatalogEntry;
import city.heze.peony.producers.TestCatalogs;
import city.heze.peony.producers.simulate.RecordGenerator;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Not a test: a measurement. One 100,000-line CSV file of {@code mz.social-assistance} records (the
 * simulator's, dates and times as text), read in one run, alternating, by:
 *
 * <ol>
 *   <li>the hand-written {@link CsvParser} on {@link Utf8Lines}, as {@code peony publish} reads CSV;
 *   <li>jackson-dataformat-csv's {@code CsvMapper} reading rows as {@code String[]}, unquoted empty
 *       cells as null (the same cells the hand-written parser gives);
 * </ol>
 *
 * each once for the cells alone and once with every row converted by {@link RecordConverter#fromCsv}
 * (the publication path). Prints records per second per round and the medians. Nothing fails on a
 * timing.
 *
 * <p>Run with the test classpath: {@code java -cp ... city.heze.peony.producers.convert.CsvParsingComparison [lines] [rounds]}.
 */
public final class CsvParsingComparison {
    private CsvParsingComparison() {}

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        CatalogEntry entry = TestCatalogs.socialAssistance();
        Schema schema = new Schema.Parser().parse(entry.getSchema$());
        RecordConverter converter = RecordConverter.forSchema(schema);
        Path file = Files.createTempFile("peony-csv-", ".csv");
        try {
            writeFile(file, entry, schema, lines);
            System.out.printf("%s: %d lines, %d bytes%n", file, lines, Files.size(file));
            List<double[]> rates = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                double[] r = {
                    handWritten(file, converter, false),
                    library(file, converter, false),
                    handWritten(file, converter, true),
                    library(file, converter, true)
                };
                System.out.printf(
                        "round %d: cells hand-written %,.0f/s jackson %,.0f/s | converted hand-written %,.0f/s jackson %,.0f/s%n",
                        round, r[0], r[1], r[2], r[3]);
                if (round > 0) { // the first round warms the JIT
                    rates.add(r);
                }
            }
            String[] names = {
                "cells, hand-written", "cells, jackson-csv", "converted, hand-written", "converted, jackson-csv"
            };
            for (int i = 0; i < names.length; i++) {
                int col = i;
                double[] values =
                        rates.stream().mapToDouble(r -> r[col]).sorted().toArray();
                System.out.printf("median %-24s %,12.0f records/s%n", names[i], values[values.length / 2]);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double handWritten(Path file, RecordConverter converter, boolean convert) throws IOException {
        long start = System.nanoTime();
        long count = 0;
        try (Utf8Lines in = new Utf8Lines(Files.newInputStream(file))) {
            CsvParser parser = new CsvParser(in);
            RecordConverter.CsvColumns columns =
                    converter.csvColumns(Arrays.asList(parser.next().cells()));
            for (CsvParser.CsvRecord r = parser.next(); r != null; r = parser.next()) {
                count += use(converter, columns, r.cells(), convert);
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static double library(Path file, RecordConverter converter, boolean convert) throws IOException {
        CsvMapper mapper = CsvMapper.builder()
                .enable(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY)
                .enable(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.EMPTY_UNQUOTED_STRING_AS_NULL)
                .enable(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.SKIP_EMPTY_LINES)
                .build();
        long start = System.nanoTime();
        long count = 0;
        try (InputStream in = Files.newInputStream(file);
                MappingIterator<String[]> rows =
                        mapper.readerFor(String[].class).readValues(in)) {
            RecordConverter.CsvColumns columns = converter.csvColumns(Arrays.asList(rows.next()));
            while (rows.hasNext()) {
                count += use(converter, columns, rows.next(), convert);
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static int use(
            RecordConverter converter, RecordConverter.CsvColumns columns, String[] cells, boolean convert) {
        if (!convert) {
            return cells.length > 0 ? 1 : 0;
        }
        return converter.fromCsv(columns, cells) != null ? 1 : 0;
    }

    /** A department's export: a header of field names, cells quoted where they need it. */
    private static void writeFile(Path file, CatalogEntry entry, Schema schema, int lines) throws IOException {
        RecordGenerator generator = RecordGenerator.forCatalog(entry, schema);
        Random random = new Random(1);
        long now = Instant.parse("2026-03-02T02:00:00Z").toEpochMilli();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            List<String> header = new ArrayList<>();
            schema.getFields().forEach(f -> header.add(f.name()));
            out.write(String.join(",", header));
            out.newLine();
            for (int i = 0; i < lines; i++) {
                GenericRecord record = generator.nextRecord(random, now - i * 1000L);
                StringBuilder line = new StringBuilder();
                for (Schema.Field field : schema.getFields()) {
                    if (field.pos() > 0) {
                        line.append(',');
                    }
                    Object value = record.get(field.pos());
                    if (value != null) {
                        line.append(quoted(text(field.schema(), value)));
                    }
                }
                out.write(line.toString());
                out.newLine();
            }
        }
    }

    private static String quoted(String cell) {
        if (cell.isEmpty() || cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0) {
            return '"' + cell.replace("\"", "\"\"") + '"';
        }
        return cell;
    }

    private static String text(Schema schema, Object value) {
        Schema type = schema.getType() == Schema.Type.UNION
                ? schema.getTypes().stream()
                        .filter(s -> s.getType() != Schema.Type.NULL)
                        .findFirst()
                        .orElseThrow()
                : schema;
        if (type.getLogicalType() instanceof LogicalTypes.Date) {
            return LocalDate.ofEpochDay((Integer) value).toString();
        }
        if (type.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return Instant.ofEpochMilli((Long) value)
                    .atOffset(ZoneOffset.ofHours(8))
                    .toString();
        }
        if (type.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
            return new java.math.BigDecimal(new java.math.BigInteger(bytes(value)), decimal.getScale()).toPlainString();
        }
        return value.toString();
    }

    private static byte[] bytes(Object value) {
        if (value instanceof java.nio.ByteBuffer buffer) {
            byte[] array = new byte[buffer.remaining()];
            buffer.duplicate().get(array);
            return array;
        }
        return ((org.apache.avro.generic.GenericFixed) value).bytes();
    }
}
