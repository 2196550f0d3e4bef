package city.heze.peony.producers.convert;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;

/** CSV with a header row whose column names are the schema's field names, in any order. */
final class CsvSource implements RecordSource {
    private final String file;
    private final CsvParser parser;
    private final Utf8Lines in;
    private final RecordConverter converter;
    private final RecordConverter.CsvColumns columns;

    CsvSource(String file, Utf8Lines in, RecordConverter converter) throws IOException {
        this.file = file;
        this.in = in;
        this.parser = new CsvParser(in);
        this.converter = converter;
        CsvParser.CsvRecord header = read();
        if (header == null) {
            throw new InputFileException(file + ": the file is empty; expected a header row naming the fields of "
                    + converter.schema().getFullName());
        }
        if (header.error() != null) {
            throw new InputFileException(file + ":" + header.line() + ": header: " + header.error());
        }
        String[] names = header.cells();
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null || names[i].isBlank()) {
                throw new InputFileException(
                        file + ":" + header.line() + ": header column " + (i + 1) + " is empty; expected a field name");
            }
        }
        try {
            this.columns = converter.csvColumns(Arrays.asList(names));
        } catch (IllegalArgumentException e) {
            throw new InputFileException(file + ":" + header.line() + ": header: " + e.getMessage());
        }
    }

    private CsvParser.CsvRecord read() throws IOException {
        try {
            return parser.next();
        } catch (CharacterCodingException e) {
            throw new InputFileException(file + ":" + parser.lineNumber() + ": not valid UTF-8 (" + e.getMessage()
                    + "); expected UTF-8 text");
        }
    }

    @Override
    public Row next() throws IOException {
        CsvParser.CsvRecord csv = read();
        if (csv == null) {
            return null;
        }
        if (csv.error() != null) {
            return new Row(
                    csv.line(), csv.text(), null, new RowRejection(file, csv.line(), null, csv.error(), csv.text()));
        }
        try {
            return new Row(csv.line(), csv.text(), converter.fromCsv(columns, csv.cells()), null);
        } catch (ConversionException e) {
            return new Row(
                    csv.line(),
                    csv.text(),
                    null,
                    new RowRejection(file, csv.line(), e.field(), e.reason(), csv.text()));
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
