package city.heze.peony.producers.file;

/**
 * Where a {@link FilePublication} tells how far it has come and shows its bad lines: {@code peony
 * publish} draws a progress bar, the benchmark prints the lines only.
 */
public interface PublicationProgress {

    /** Records that {@code lines} lines of the file have been read. */
    void read(long lines);

    /** Prints a line about one bad row without breaking the display. */
    void println(String line);
}
