package city.heze.peony.producers.convert;

import java.io.IOException;

/**
 * An input file that cannot be read row by row at all, such as a CSV header that lacks a column the
 * schema requires: the message names the file, the line and what was expected.
 */
public final class InputFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public InputFileException(String message) {
        super(message);
    }
}
