package city.heze.peony.producers.convert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** JSON Lines: one JSON object per line; blank lines are skipped. */
final class JsonLinesSource implements RecordSource {
    private final String file;
    private final Utf8Lines in;
    private final RecordConverter converter;

    JsonLinesSource(String file, Utf8Lines in, RecordConverter converter) {
        this.file = file;
        this.in = in;
        this.converter = converter;
    }

    /**
     * The next row. Lines are parsed from their bytes, which Jackson decodes as it goes: a line
     * that is not UTF-8 is a bad line like any other (reading goes on), reported as such.
     */
    @Override
    public Row next() throws IOException {
        while (true) {
            int length = in.readLineBytes();
            if (length < 0) {
                return null;
            }
            byte[] bytes = in.bytes();
            int from = 0;
            if (in.lineNumber() == 1
                    && length >= 3
                    && bytes[0] == (byte) 0xEF
                    && bytes[1] == (byte) 0xBB
                    && bytes[2] == (byte) 0xBF) {
                from = 3; // a byte-order mark some editors write
            }
            if (isBlank(bytes, from, length)) {
                continue;
            }
            long lineNumber = in.lineNumber();
            byte[] row = Arrays.copyOfRange(bytes, from, length);
            try {
                return new Row(lineNumber, row, converter.fromJsonLine(row));
            } catch (ConversionException e) {
                boolean utf8 = Utf8Lines.isUtf8(row, row.length);
                String field = utf8 ? e.field() : null;
                String reason = utf8 ? e.reason() : "not UTF-8 text; expected UTF-8 (is the file in GBK?)";
                String text = new String(row, StandardCharsets.UTF_8);
                return new Row(lineNumber, text, null, new RowRejection(file, lineNumber, field, reason, text));
            }
        }
    }

    private static boolean isBlank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
